-- query
select label, b
from (values ('true', true), ('false', false), ('null', null::boolean)) as t(label, b)
