-- interval is Sightline "interval": an ISO-8601 duration written as Postgres writes it with IntervalStyle iso_8601
-- (each part signed on its own, zero parts left out, PT0S for zero); "server_text" is Postgres' own iso_8601 text.
-- vertx-pg-client 5.0.7 folds every 24 hours into a day and every 30 days into a month when it decodes, so a value
-- like '36 hours' arrives as 1 day 12 hours: equal for Postgres' interval comparison, but not what Postgres prints
-- (see the rows marked "client folds").
SET IntervalStyle = 'iso_8601';
-- query
select label, i, i::text as server_text
from (values
  ('all parts',                     interval '1 year 2 mons 3 days 04:05:06.5'),
  ('zero',                          '0'),
  ('one microsecond',               '00:00:00.000001'),
  ('negative seconds',              '-1.5 seconds'),
  ('all negative',                  '-2 years -3 mons -4 days -05:06:07.000008'),
  ('mixed signs',                   '1 mon -1 day'),
  ('years and months',              '1 year -1 mons'),
  ('client folds: 36 hours',        '36 hours'),
  ('client folds: 45 days',         '45 days'),
  ('client folds: -1 mon 40 days',  '-1 mon 40 days'),
  ('day and hour of opposite signs', '1 day -1 hour'),
  ('infinity',                      'infinity'),
  ('minus infinity',                '-infinity'),
  ('null',                          null)
) as t(label, i)
