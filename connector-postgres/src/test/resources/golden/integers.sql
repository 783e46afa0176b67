-- int2 and int4 are Sightline "integer", int8 is "bigint"; both travel as JSON numbers within ±(2^53-1) and as
-- strings beyond, so that JavaScript never rounds them.
-- query
select label, i2::int2 as i2, i4::int4 as i4, i8::int8 as i8
from (values
  ('zero',                 '0',        '0',              '0'),
  ('one',                  '1',        '1',              '1'),
  ('minus one',            '-1',       '-1',             '-1'),
  ('type minimums',        '-32768',   '-2147483648',    '-9223372036854775808'),
  ('type maximums',        '32767',    '2147483647',     '9223372036854775807'),
  ('largest safe integer', null,       null,             '9007199254740991'),
  ('2^53, first unsafe',   null,       null,             '9007199254740992'),
  ('2^53 + 1',             null,       null,             '9007199254740993'),
  ('-(2^53-1), safe',      null,       null,             '-9007199254740991'),
  ('-(2^53), unsafe',      null,       null,             '-9007199254740992'),
  ('nulls',                null,       null,             null)
) as t(label, i2, i4, i8)
