-- numeric is Sightline "decimal" (BigDecimal): exact. JSON number when it has at most 15 significant digits, else a
-- string in plain notation; the scale Postgres prints is kept (1.50 stays 1.50). NaN is the string "NaN".
-- numeric 'Infinity' / '-Infinity' cannot be shown here: vertx-pg-client 5.0.7 fails to decode them and closes the
-- connection (see ClientDecodingLimitsTest).
-- query
select label, n
from (values
  ('large precision and scale', 123456789012345678901234567890.123456789::numeric),
  ('negative large',            -98765432109876543210.0123456789),
  ('15 significant digits',     123456789012345),
  ('16 significant digits',     1234567890123456),
  ('15 digits with a scale',    1234567890.12345),
  ('keeps its scale',           1.50),
  ('numeric(10,5)',             1::numeric(10,5)),
  ('zero',                      0),
  ('zero with a scale',         0.000),
  ('small',                     0.001),
  ('negative small',            -0.001),
  ('tiny, plain notation',      0.000000000000000000000000000001),
  ('1e30, plain notation',      1e30),
  ('not a number',              'NaN'),
  ('null',                      null)
) as t(label, n)
