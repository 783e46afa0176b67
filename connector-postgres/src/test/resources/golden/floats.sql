-- float4 and float8 are Sightline "number" (Double). NaN and the infinities are strings. A float4 keeps its own
-- shortest decimal form (1.1, not 1.100000023841858). -0 stays -0.0.
-- query
select label, f4::float4 as f4, f8::float8 as f8
from (values
  ('one tenth',          '0.1',           '0.1'),
  ('one point one',      '1.1',           '1.1'),
  ('whole',              '42',            '42'),
  ('negative',           '-2.5',          '-2.5'),
  ('minus zero',         '-0',            '-0'),
  ('not a number',       'NaN',           'NaN'),
  ('infinity',           'Infinity',      'Infinity'),
  ('minus infinity',     '-Infinity',     '-Infinity'),
  ('near the maximum',   '3.4e38',        '1.7976931348623157e308'),
  ('tiny',               '1.5e-38',       '1.5e-300'),
  ('2^24 + 1, 2^53 + 1', '16777217',      '9007199254740993'),
  ('null',               null,            null)
) as t(label, f4, f8)
