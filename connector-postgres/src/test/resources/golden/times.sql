-- time is Sightline "time" (hh:mm:ss[.fraction]); timetz is "timetz", with its own offset (+00:00 included).
-- '24:00:00' (a valid time in Postgres) cannot be shown: vertx-pg-client 5.0.7 fails to decode it and closes the
-- connection (see ClientDecodingLimitsTest).
-- query
select label, t, tz
from (values
  ('whole seconds',       time '03:04:05',           timetz '03:04:05+02'),
  ('half a second',       '03:04:05.5',              '03:04:05.5-05:30'),
  ('microseconds',        '03:04:05.000001',         '03:04:05.123456+00'),
  ('midnight',            '00:00:00',                '00:00:00+00'),
  ('last microsecond',    '23:59:59.999999',         '23:59:59.999999-15:59'),
  ('offset with seconds', null,                      '12:00:00+05:30:15'),
  ('null',                null,                      null)
) as t(label, t, tz)
