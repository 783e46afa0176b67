-- A bytea longer than ColumnMeta.BYTEA_CAP (65536 bytes): only its first 65536 bytes travel, so the base64 is
-- 87384 characters long; "bytes" is the real length.
-- query
select length(b) as bytes, b
from (select decode(repeat('00', 65536), 'hex') || '\xffffffff'::bytea as b) as t
