-- V3: an org sees when a member last signed in to (or switched to) that org, never their activity in other orgs.
-- users.last_login_at stays account-wide and is not shown to org admins any more.
ALTER TABLE memberships ADD COLUMN last_login_at timestamptz;
COMMENT ON COLUMN memberships.last_login_at IS 'When the member last signed in to or switched to this org.';

-- Carried over only where it cannot come from another org: accounts with a single membership.
UPDATE memberships m SET last_login_at = u.last_login_at
FROM users u
WHERE u.id = m.user_id AND u.last_login_at IS NOT NULL
  AND (SELECT count(*) FROM memberships o WHERE o.user_id = m.user_id) = 1;
