-- query
select label, u
from (values
  ('lower case',  uuid 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
  ('upper case input, lower case output', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12'),
  ('nil',         '00000000-0000-0000-0000-000000000000'),
  ('null',        null)
) as t(label, u)
