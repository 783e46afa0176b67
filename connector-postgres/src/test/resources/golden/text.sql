-- text, varchar, char(n) (bpchar, blank-padded as Postgres returns it) and name are Sightline "text" ("char" is in
-- unusual_types.sql). Strings are JSON strings; JsonRowEncoder escapes characters outside the BMP as surrogate pairs.
-- query
select label, t, t::varchar(20) as vc, t::char(6) as c6, t::name as nm
from (values
  ('plain',                      'hello'::text),
  ('accents',                    'café déjà vu'),
  ('emoji',                      '😀👍🏽'),
  ('CJK',                        '漢字かなカナ한글'),
  ('quote backslash newline',    E'say "hi"\\there\nnext line'),
  ('tab and carriage return',    E'a\tb\r\n'),
  ('empty',                      ''),
  ('looks like JSON',            '{"a": 1}'),
  ('null',                       null)
) as t(label, t)
