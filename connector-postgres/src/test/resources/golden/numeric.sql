-- numeric is Sightline "decimal" (BigDecimal): exact, always a string in plain notation with the scale Postgres prints
-- (1.50 stays "1.50", 1e-18 is "0.000000000000000001"). NaN is the string "NaN".
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
  ('tiny negative',             -0.000000000000000001),
  ('numeric(24,6), few digits', 25837.2352::numeric(24,6)),
  ('numeric(24,6), many digits',165633142430.8179::numeric(24,6)),
  ('1e30, plain notation',      1e30),
  ('not a number',              'NaN'),
  ('null',                      null)
) as t(label, n)
