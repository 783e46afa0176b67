-- Types Sightline has no type for are "unknown" and travel as a string: Postgres' text form where the client
-- hands it over (regclass, pg_lsn, tsvector, composites, citext, hstore...) and a rebuilt text form where the client
-- decodes into its own objects (inet, cidr, the geometric types). money is "decimal" (the client assumes two
-- fractional digits). A domain is its base type. See client_limitations.sql for types that arrive as null.
-- The client takes the text of an unknown type that starts with '{' for an array and cuts it at its commas;
-- PgValues rebuilds it with Postgres' array quoting, which changes such a value when it holds spaces, quotes or
-- commas ("citext_with_braces": '{not an array}' comes out as '{"not an array"}').
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE DOMAIN positive_int AS int4 CHECK (value > 0);
CREATE TYPE pair AS (a int4, b text);
-- query
select
  '192.168.1.1'::inet as inet_host,
  '192.168.1.5/24'::inet as inet_with_mask,
  '2001:db8::1'::inet as inet_v6,
  '::1/128'::inet as inet_v6_host,
  '10.0.0.0/8'::cidr as cidr,
  '2001:db8::/32'::cidr as cidr_v6,
  '-1234567.89'::money as money,
  '92233720368547758.07'::money as money_max,
  point(1.5, -2) as point,
  '{1,-1,0}'::line as line,
  lseg(point(0, 0), point(1, 1)) as lseg,
  box(point(0, 0), point(1, 1)) as box,
  '[(0,0),(1,1)]'::path as open_path,
  '((0,0),(1,1),(2,0))'::path as closed_path,
  '((0,0),(1,1),(1,0))'::polygon as polygon,
  circle(point(0, 0), 1.5) as circle,
  'the quick brown fox'::tsvector as tsvector,
  'fox & dog'::tsquery as tsquery,
  'pg_class'::regclass as regclass,
  'int4'::regtype as regtype,
  '0/16B3748'::pg_lsn as pg_lsn,
  row(1, 'a b')::pair as composite,
  'MiXeD Case'::citext as citext,
  '{not an array}'::citext as citext_with_braces,
  'a=>1, b=>NULL'::hstore as hstore,
  7::positive_int as domain_over_int4,
  'r'::"char" as internal_char
