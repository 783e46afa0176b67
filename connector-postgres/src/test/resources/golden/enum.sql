-- Enums should be Sightline "enum", but vertx-pg-client 5.0.7 reports every type it does not know as UNKNOWN (the
-- type's OID and name are dropped), so an enum column is "unknown" with sourceType "unknown"; its value is the label,
-- exactly as Postgres prints it. Arrays of enums arrive as Postgres' array text, rebuilt by PgValues from the pieces
-- the client cut it into: exact for one dimension and for two without quoted elements, but an array whose first
-- label starts with '{' is taken for a two-dimensional one ("label with braces"). A domain over an enum is the enum.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'very happy', '{braced}');
CREATE DOMAIN mood_domain AS mood;
-- query
select label, m, ms, m::mood_domain as via_domain
from (values
  ('plain label',        'ok'::mood,          array['sad', 'ok']::mood[]),
  ('label with a space', 'very happy',        array['very happy', null]::mood[]),
  ('label with braces',  '{braced}',          array['{braced}']::mood[]),
  ('empty array',        'sad',               array[]::mood[]),
  ('two dimensions',     'sad',               array[['sad', 'ok'], ['ok', 'sad']]::mood[]),
  ('null',               null,                null)
) as t(label, m, ms)
