-- date is Sightline "date": ISO-8601 as java.time writes it, so years are astronomical (1 BC is 0000, 44 BC is
-- -0043) and years after 9999 carry a '+'. infinity and -infinity are the strings "infinity" and "-infinity".
-- query
select label, d
from (values
  ('ordinary',             date '2026-11-29'),
  ('leap day',             '2024-02-29'),
  ('first day AD',         '0001-01-01'),
  ('last day 1 BC',        '0001-12-31 BC'),
  ('Ides of March 44 BC',  '0044-03-15 BC'),
  ('earliest date',        '4714-11-24 BC'),
  ('last 4-digit year',    '9999-12-31'),
  ('5-digit year',         '10000-01-01'),
  ('latest date',          '5874897-12-31'),
  ('infinity',             'infinity'),
  ('minus infinity',       '-infinity'),
  ('null',                 null)
) as t(label, d)
