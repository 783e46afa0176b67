-- Multi-dimensional arrays should be nested JSON arrays, but vertx-pg-client 5.0.7 decodes only one dimension: a
-- binary-decoded array (int4[][], text[][], ...) arrives as null, exactly like SQL NULL (the client logs "Only
-- arrays of dimension 1 are supported"). A text-decoded one (numeric[][]) fails the query and closes the connection
-- (see ClientDecodingLimitsTest). Types the client does not know, e.g. enum[][], arrive as Postgres' array text
-- (see enum.sql).
-- query
select array[[1, 2], [3, 4]]::int4[] as ints_2d, array[['a', 'b'], ['c', null]]::text[] as texts_2d,
  array[[[true]]] as bools_3d
