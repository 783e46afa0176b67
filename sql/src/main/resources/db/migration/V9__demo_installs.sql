-- V9: the demo (issue 18, docs/demo.md). The standalone process installs a demo — a database in its embedded Postgres
-- and the metadata that reads it — on the first start of a fresh home; this table records what it created, so that
-- it is installed once per home (never again after an admin removed it, nor on later starts) and so that removing it
-- removes exactly those objects and nothing a user made.
--
-- * One row per org that received the demo; removed_at is set when an admin removed it (the row stays: the demo
--   never comes back).
-- * The id arrays name every object the installer created, through the same API a user would use. They are not
--   foreign keys: an object a user deleted by hand is simply skipped at removal.
-- * database: the embedded database's name (dropped by the standalone process at removal); seed: the generator's
--   seed, anchor: the instant its synthetic history ends at (the install time), so the data can be reproduced.

CREATE TABLE demo_installs (
    org_id            uuid        PRIMARY KEY REFERENCES orgs (id) ON DELETE CASCADE,
    database          text        NOT NULL,
    seed              bigint      NOT NULL,
    anchor            timestamptz NOT NULL,
    datasource_ids    uuid[]      NOT NULL DEFAULT '{}',
    query_ids         uuid[]      NOT NULL DEFAULT '{}',
    visualization_ids uuid[]      NOT NULL DEFAULT '{}',
    dashboard_ids     uuid[]      NOT NULL DEFAULT '{}',
    schedule_ids      uuid[]      NOT NULL DEFAULT '{}',
    installed_at      timestamptz NOT NULL DEFAULT now(),
    removed_at        timestamptz,
    removed_by        uuid        REFERENCES users (id) ON DELETE SET NULL
);
COMMENT ON TABLE demo_installs IS 'The demo a first start installed in an org: what it created, and whether an admin removed it.';
