-- V10: API keys may expire (issue 16, docs/security.md). A key with expires_at set stops authenticating at that
-- instant (401 "API key expired"); NULL is a key that never expires, as every key created before V10.

ALTER TABLE api_keys ADD COLUMN expires_at timestamptz
    CONSTRAINT api_keys_expires_after_created CHECK (expires_at > created_at);
COMMENT ON COLUMN api_keys.expires_at IS 'When the key stops working; NULL: never.';
