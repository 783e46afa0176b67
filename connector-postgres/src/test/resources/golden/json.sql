-- json and jsonb are Sightline "json": the document travels as its JSON text in a string (result format version 2),
-- so a JSON null document ("null") and SQL NULL (null) stay distinct. vertx-pg-client 5.0.7 parses the document
-- before PgValues sees it, so what travels is a compact re-encoding: whitespace is gone, a json (not jsonb) object keeps only the last of duplicate keys, and a number with a fraction
-- becomes a double (more than 17 significant digits are rounded; whole numbers of any size stay exact).
-- query
select label, doc::json as json, doc::jsonb as jsonb
from (values
  ('object',                    '{"b": 1, "a": "x"}'),
  ('nested',                    '{"a": {"b": [1, 2, {"c": null}]}, "d": [true, false]}'),
  ('array',                     '[1, "two", 3.5, null]'),
  ('empty object and array',    '[{}, []]'),
  ('string scalar',             '"just a string"'),
  ('number scalar',             '12.5'),
  ('boolean scalar',            'true'),
  ('json null',                 'null'),
  ('unicode and escapes',       '{"é": "😀 漢字", "q": "a \"quoted\" \\ back\nslash", "u": "\u00e9"}'),
  ('whitespace',                '  [ 1 ,  2 ]  '),
  ('duplicate keys',            '{"k": 1, "k": 2}'),
  ('huge whole number',         '{"n": 123456789012345678901234567890}'),
  ('many-digit fraction',       '{"n": 1.123456789012345678901}'),
  ('sql null',                  null)
) as t(label, doc)
