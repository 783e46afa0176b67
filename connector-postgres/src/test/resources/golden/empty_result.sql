-- No rows: the columns are still known (from the statement's row description).
-- query
select 1::int4 as id, 'x'::text as name, now() as at, '{}'::jsonb as doc, array[1]::int8[] as ids where false
