-- timestamp (without time zone) is Sightline "timestamp": ISO-8601 local date-time, seconds always present, the
-- fraction without trailing zeros. The session time zone plays no part; it is set anyway to show it.
-- vertx-pg-client 5.0.7 decodes -infinity wrongly (as a date 290278 years BC) and the earliest timestamp
-- (4714-11-24 00:00:00 BC) as LocalDateTime.MIN; PgValues undoes both.
SET TimeZone = 'Pacific/Chatham';
-- query
select label, ts
from (values
  ('microseconds',          timestamp '2026-11-29 03:04:05.123456'),
  ('half a second',         '2026-11-29 03:04:05.5'),
  ('milliseconds',          '2026-11-29 03:04:05.120'),
  ('whole seconds',         '2026-11-29 03:04:05'),
  ('midnight',              '2026-11-29 00:00:00'),
  ('one microsecond',       '2000-01-01 00:00:00.000001'),
  ('before 1970',           '1969-07-20 20:17:40'),
  ('BC',                    '0044-03-15 12:00:00 BC'),
  ('earliest timestamp',    '4714-11-24 00:00:00 BC'),
  ('latest timestamp',      '294276-12-31 23:59:59.999999'),
  ('infinity',              'infinity'),
  ('minus infinity',        '-infinity'),
  ('null',                  null)
) as t(label, ts)
