-- timestamptz is Sightline "timestamptz": the instant in UTC, ISO-8601 with 'Z', whatever the session time zone.
-- The session runs in Asia/Kathmandu (+05:45) here, so literals without an offset are read as Kathmandu time;
-- "server_text" is Postgres' own rendering in that zone, for comparison.
SET TimeZone = 'Asia/Kathmandu';
-- query
select label, tz, tz::text as server_text
from (values
  ('local literal, micros',     timestamptz '2026-11-29 03:04:05.123456'),
  ('explicit +02',              '2026-11-29 03:04:05.5+02'),
  ('explicit UTC',              '2026-11-29 03:04:05Z'),
  ('crosses midnight in UTC',   '2026-01-01 05:00:00'),
  ('before 1970',               '1969-07-20 20:17:40+00'),
  ('BC',                        '0044-03-15 12:00:00+00 BC'),
  ('earliest timestamptz',      '4714-11-24 00:00:00+00 BC'),
  ('latest timestamptz',        '294276-12-31 23:59:59.999999+00'),
  ('infinity',                  'infinity'),
  ('minus infinity',            '-infinity'),
  ('null',                      null)
) as t(label, tz)
