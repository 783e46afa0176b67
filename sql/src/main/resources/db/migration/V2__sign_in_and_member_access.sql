-- V2: sign-in throttling and per-org member access (issue: accounts, sessions, API keys, datasources).

-- An org admin disables a member's access to that org only; users.disabled_at stays for instance-wide disabling.
ALTER TABLE memberships ADD COLUMN disabled_at timestamptz;

-- Failed sign-ins, counted per account and per client address within a window to throttle guessing.
-- The account is stored as SHA-256 of the lower-cased email as typed, so mistyped addresses are not kept in clear.
CREATE TABLE login_failures (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_hash bytea       NOT NULL CHECK (octet_length(account_hash) = 32),
    address      text        NOT NULL,
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_account_idx ON login_failures (account_hash, at);
CREATE INDEX login_failures_address_idx ON login_failures (address, at);
COMMENT ON TABLE login_failures IS 'Recent failed sign-ins, for throttling per account and per client address.';

CREATE INDEX sessions_live_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;
