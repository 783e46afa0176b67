-- SQL NULL is JSON null in every column type.
CREATE TYPE colour AS ENUM ('red');
-- query
select null::int2 as int2, null::int4 as int4, null::int8 as int8, null::numeric as numeric, null::float4 as float4,
  null::float8 as float8, null::text as text, null::varchar as varchar, null::char(2) as bpchar,
  null::boolean as bool, null::date as date, null::timestamp as timestamp, null::timestamptz as timestamptz,
  null::time as time, null::timetz as timetz, null::interval as interval, null::uuid as uuid, null::json as json,
  null::jsonb as jsonb, null::bytea as bytea, null::int4[] as int4_array, null::text[] as text_array,
  null::colour as enum, null::inet as inet, null::money as money, null::point as point
