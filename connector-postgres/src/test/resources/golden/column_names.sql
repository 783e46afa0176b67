-- Column names are kept exactly as Postgres reports them: spaces, quotes, unicode, duplicates, ?column?.
-- query
select 1 as "with spaces", 2 as "with ""quotes"" and 'apostrophes'", 3 as "émoji 😀", 4 as "dup", 5 as "dup", 6,
  7 as "UPPER", 8 as lower_case
