-- Types vertx-pg-client 5.0.7 requests in binary but cannot decode: every value arrives as null, exactly like SQL
-- NULL, and PgValues cannot tell the difference. They are here so that a client upgrade that fixes them shows up as
-- a golden diff. (Workaround for users: cast to text in the query, e.g. mac::text.)
-- query
select
  '08:00:2b:01:02:03'::macaddr as macaddr,
  '08:00:2b:01:02:03:04:05'::macaddr8 as macaddr8,
  B'101'::bit(3) as bit,
  B'1'::varbit as varbit,
  '<a>1</a>'::xml as xml,
  1259::oid as oid,
  '08:00:2b:01:02:03'::macaddr::text as macaddr_as_text
