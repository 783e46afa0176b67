-- V8: the audit log (issue 16, DESIGN.md §2, docs/audit.md): one row per security-relevant action — sign-ins and
-- failed sign-ins, password changes and resets, member invites / role changes / disables, API keys created and
-- revoked, datasources created / updated / deleted, queries and dashboards archived, schedules deleted. Written in the
-- same transaction as the action wherever the action is transactional, so a row exists iff the action happened.
--
-- * org_id: the org the action happened in; NULL only for a failed sign-in with an email that matches no user (no
--   org can be named; such rows are for operators, never listed by the API).
-- * actor_*: who did it — the user (kept as actor_email too, as it was then: users change emails), and the API key
--   when the request came with one. A failed sign-in's actor_email is the email attempted. No actor: the command line
--   (reset-admin-password).
-- * target_*: what it was done to (kind + id + its name at the time).
-- * details: further facts (a role change's old and new role, the fields a datasource update changed). Never a secret:
--   no password, no key, no hash.

CREATE TABLE audit_events (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id           uuid        REFERENCES orgs (id) ON DELETE CASCADE,
    at               timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_user_id    uuid        REFERENCES users (id) ON DELETE SET NULL,
    actor_api_key_id uuid        REFERENCES api_keys (id) ON DELETE SET NULL,
    actor_email      text,
    action           text        NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
    target_kind      text        CHECK (target_kind ~ '^[a-z_]+$'),
    target_id        text,
    target_name      text,
    ip               text,
    request_id       text,
    details          jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(details) = 'object')
);
CREATE INDEX audit_events_org_at_idx ON audit_events (org_id, at DESC, id DESC);
COMMENT ON TABLE audit_events IS 'Security-relevant actions, one row each, written with the action; never a secret.';
