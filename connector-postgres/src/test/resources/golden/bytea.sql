-- bytea is Sightline "bytea": base64 (standard alphabet, padded) of its bytes, cut to ColumnMeta.BYTEA_CAP (64 KiB)
-- first (see bytea_capped.sql).
-- query
select label, b, length(b) as bytes
from (values
  ('three bytes',  '\x0102ff'::bytea),
  ('text bytes',   convert_to('hello, wörld', 'UTF8')),
  ('empty',        '\x'),
  ('null',         null)
) as t(label, b)
