-- Arrays are Sightline "array" with the elements' Sightline type as elementType: JSON arrays of element values as
-- each type travels alone, NULL elements as null. Lower bounds other than 1 are not kept ('[0:1]={1,2}' is [1,2]).
SET TimeZone = 'UTC';
-- query
select
  array[1, null, 3]::int4[] as ints,
  array[-32768, 32767]::int2[] as smallints,
  array[1, 9007199254740993]::int8[] as bigints,
  array[1.50, 123456789012345678901234567890.123456789, 'NaN', null]::numeric[] as numerics,
  array['NaN', 'Infinity', 1.5]::float8[] as floats,
  array[1.1]::float4[] as reals,
  array['a', null, 'b c', '"q"', E'x\\y', 'NULL', '', '😀', 'a,b', '{x}']::text[] as texts,
  array['ab']::char(3)[] as chars,
  array[true, false, null] as bools,
  array['2026-11-29', 'infinity', null]::date[] as dates,
  array['2026-11-29 03:04:05.5']::timestamp[] as timestamps,
  array['2026-11-29 03:04:05.5+02']::timestamptz[] as timestamptzs,
  array['03:04:05']::time[] as times,
  array['1 day 02:00:00', '-1.5 seconds']::interval[] as intervals,
  array['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11']::uuid[] as uuids,
  array['{"a": 1}', '2', 'null', null]::jsonb[] as jsonbs,
  array['\x0102', null]::bytea[] as byteas,
  array['10.0.0.1', '::1']::inet[] as inets,
  array[]::int4[] as empty,
  '[0:1]={1,2}'::int4[] as lower_bound_zero,
  null::text[] as null_array
