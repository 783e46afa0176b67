-- Sightline metadata schema, version 1 (DESIGN.md §2, §3, §5, §9, §10).
-- Plain DDL for PostgreSQL 15+ (uses ON DELETE SET NULL (column) from PG 15; gen_random_uuid() is built in).
-- Flyway runs this file in one transaction. Released migrations are append-only: change the schema in V2+.
--
-- Conventions:
--   * Every table but orgs/users carries org_id NOT NULL REFERENCES orgs ON DELETE CASCADE.
--   * Parents expose UNIQUE (id, org_id); children reference (x_id, org_id) so a row can never point at
--     another org's object. Nullable composite FKs are MATCH SIMPLE: a NULL x_id is simply "no reference".
--   * Where a reference should be cleared on delete, ON DELETE SET NULL (x_id) clears only the id, never org_id.
--   * Objects users edit are archived (archived_at), not deleted; hard-deleting an object still in use by another
--     (a datasource with queries, a query with visualizations, a visualization on a tile) fails with an FK error.

-- ---------------------------------------------------------------------------------------------------------------
-- Tenancy and identity
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE orgs (
    id                       uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name                     text        NOT NULL CHECK (btrim(name) <> ''),
    slug                     text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    timezone                 text        NOT NULL DEFAULT 'UTC' CHECK (timezone <> ''),
    result_retention_seconds integer     NOT NULL DEFAULT 604800 CHECK (result_retention_seconds > 0),
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE orgs IS 'A workspace: owns every datasource, query, dashboard, schedule, run and result.';

CREATE TABLE users (
    id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    email                text        NOT NULL CHECK (position('@' IN email) > 1),
    display_name         text        NOT NULL DEFAULT '',
    password_hash        text,                      -- Argon2id encoded hash; NULL = no password login
    must_change_password boolean     NOT NULL DEFAULT false,
    disabled_at          timestamptz,
    last_login_at        timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_lower_uq ON users (lower(email));
COMMENT ON TABLE users IS 'A person who signs in; belongs to orgs through memberships.';

CREATE TABLE memberships (
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id     uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    role       text        NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, org_id)
);
CREATE INDEX memberships_org_idx ON memberships (org_id);
COMMENT ON TABLE memberships IS 'A user''s role in an org: admin, editor or viewer.';

CREATE TABLE sessions (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id       uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_seen_at timestamptz,
    revoked_at   timestamptz,
    user_agent   text,
    ip           inet,
    CONSTRAINT sessions_expiry_after_creation CHECK (expires_at > created_at),
    FOREIGN KEY (user_id, org_id) REFERENCES memberships (user_id, org_id) ON DELETE CASCADE
);
CREATE INDEX sessions_user_idx ON sessions (user_id, org_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
COMMENT ON TABLE sessions IS 'A signed-in browser session; revoking it here signs the browser out.';

CREATE TABLE api_keys (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id       uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text        NOT NULL CHECK (btrim(name) <> ''),
    key_prefix   text        NOT NULL,           -- first characters of the key, shown to tell keys apart
    key_hash     bytea       NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),  -- SHA-256 of the key
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    FOREIGN KEY (user_id, org_id) REFERENCES memberships (user_id, org_id) ON DELETE CASCADE
);
CREATE INDEX api_keys_user_idx ON api_keys (user_id, org_id);
CREATE INDEX api_keys_org_idx ON api_keys (org_id, created_at DESC);
COMMENT ON TABLE api_keys IS 'A key for automation, acting as its user in one org; shown once, stored as SHA-256.';

-- ---------------------------------------------------------------------------------------------------------------
-- Datasources
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE datasources (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id             uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name               text        NOT NULL CHECK (btrim(name) <> ''),
    kind               text        NOT NULL DEFAULT 'postgres' CHECK (kind ~ '^[a-z][a-z0-9_]*$'),
    options            jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object'),
    secret_ciphertext  bytea,                      -- AES-256-GCM; never returned by the API
    secret_key_id      text,                       -- which SIGHTLINE_SECRET_KEY encrypted it (rotation)
    max_concurrency    integer     NOT NULL DEFAULT 3 CHECK (max_concurrency BETWEEN 1 AND 256),
    default_timeout_ms integer     NOT NULL DEFAULT 30000,
    max_timeout_ms     integer     NOT NULL DEFAULT 300000,
    default_max_rows   bigint      NOT NULL DEFAULT 100000,
    max_rows_limit     bigint      NOT NULL DEFAULT 1000000,
    default_max_bytes  bigint      NOT NULL DEFAULT 67108864,     -- 64 MiB
    max_bytes_limit    bigint      NOT NULL DEFAULT 536870912,    -- 512 MiB
    read_only          boolean     NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    archived_at        timestamptz,
    UNIQUE (id, org_id),
    CONSTRAINT datasources_secret_has_key_id CHECK ((secret_ciphertext IS NULL) = (secret_key_id IS NULL)),
    CONSTRAINT datasources_timeout_within_max CHECK (default_timeout_ms > 0 AND default_timeout_ms <= max_timeout_ms),
    CONSTRAINT datasources_rows_within_max CHECK (default_max_rows > 0 AND default_max_rows <= max_rows_limit),
    CONSTRAINT datasources_bytes_within_max CHECK (default_max_bytes > 0 AND default_max_bytes <= max_bytes_limit)
);
-- Names are unique per org, case-insensitively, among datasources that are not archived.
CREATE UNIQUE INDEX datasources_org_name_uq ON datasources (org_id, lower(name)) WHERE archived_at IS NULL;
COMMENT ON TABLE datasources IS 'A database that users query (Postgres first; kinds are connector plugins).';

CREATE TABLE datasource_schema_cache (
    datasource_id uuid        PRIMARY KEY,
    org_id        uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    catalog       jsonb       NOT NULL,
    refreshed_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (datasource_id, org_id) REFERENCES datasources (id, org_id) ON DELETE CASCADE
);
COMMENT ON TABLE datasource_schema_cache IS 'The last introspected schemas, tables and columns of a datasource, for the schema browser and completion.';

-- ---------------------------------------------------------------------------------------------------------------
-- Queries and visualizations
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE queries (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id        uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    datasource_id uuid        NOT NULL,
    name          text        NOT NULL CHECK (btrim(name) <> ''),
    description   text        NOT NULL DEFAULT '',
    sql           text        NOT NULL,
    params        jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(params) = 'array'),        -- parameter schema
    run_options   jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(run_options) = 'object'),
    version       integer     NOT NULL DEFAULT 1 CHECK (version > 0),
    created_by    uuid        REFERENCES users (id) ON DELETE SET NULL,
    updated_by    uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    archived_at   timestamptz,
    UNIQUE (id, org_id),
    FOREIGN KEY (datasource_id, org_id) REFERENCES datasources (id, org_id)
);
CREATE INDEX queries_org_updated_idx ON queries (org_id, updated_at DESC);
CREATE INDEX queries_datasource_idx ON queries (datasource_id);
COMMENT ON TABLE queries IS 'A saved SQL query with typed parameters; its current version.';

CREATE TABLE query_versions (
    query_id    uuid        NOT NULL,
    version     integer     NOT NULL CHECK (version > 0),
    org_id      uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    sql         text        NOT NULL,
    params      jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(params) = 'array'),
    run_options jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(run_options) = 'object'),
    saved_by    uuid        REFERENCES users (id) ON DELETE SET NULL,
    saved_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (query_id, version),
    FOREIGN KEY (query_id, org_id) REFERENCES queries (id, org_id) ON DELETE CASCADE
);
COMMENT ON TABLE query_versions IS 'Every saved version of a query, for history and for reproducing past runs.';

CREATE TABLE visualizations (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    query_id    uuid        NOT NULL,
    name        text        NOT NULL CHECK (btrim(name) <> ''),
    kind        text        NOT NULL CHECK (kind IN ('line', 'bar', 'stat', 'table')),
    config      jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    created_by  uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz,
    UNIQUE (id, org_id),
    FOREIGN KEY (query_id, org_id) REFERENCES queries (id, org_id)
);
CREATE INDEX visualizations_query_idx ON visualizations (query_id);
CREATE INDEX visualizations_org_idx ON visualizations (org_id, updated_at DESC);
COMMENT ON TABLE visualizations IS 'A chart of a query''s result: line, bar, single stat or table.';

-- ---------------------------------------------------------------------------------------------------------------
-- Dashboards
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE dashboards (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id          uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name            text        NOT NULL CHECK (btrim(name) <> ''),
    slug            text        NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    description     text        NOT NULL DEFAULT '',
    params          jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(params) = 'array'),
    refresh_seconds integer     CHECK (refresh_seconds >= 10),     -- NULL = no auto-refresh
    layout_version  integer     NOT NULL DEFAULT 1 CHECK (layout_version > 0),
    created_by      uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    archived_at     timestamptz,
    UNIQUE (id, org_id)
);
-- Slugs (the dashboard's URL) are unique per org among dashboards that are not archived.
CREATE UNIQUE INDEX dashboards_org_slug_uq ON dashboards (org_id, slug) WHERE archived_at IS NULL;
COMMENT ON TABLE dashboards IS 'A grid of tiles with shared parameters and optional auto-refresh.';

CREATE TABLE tiles (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id           uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    dashboard_id     uuid        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('viz', 'text')),
    visualization_id uuid,
    text             text,
    x                integer     NOT NULL CHECK (x >= 0),
    y                integer     NOT NULL CHECK (y >= 0),
    w                integer     NOT NULL CHECK (w >= 1),
    h                integer     NOT NULL CHECK (h >= 1),
    param_bindings   jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(param_bindings) = 'object'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tiles_viz_has_visualization CHECK ((kind = 'viz') = (visualization_id IS NOT NULL)),
    CONSTRAINT tiles_text_has_text CHECK ((kind = 'text') = (text IS NOT NULL)),
    FOREIGN KEY (dashboard_id, org_id) REFERENCES dashboards (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (visualization_id, org_id) REFERENCES visualizations (id, org_id)
);
CREATE INDEX tiles_dashboard_idx ON tiles (dashboard_id);
CREATE INDEX tiles_visualization_idx ON tiles (visualization_id) WHERE visualization_id IS NOT NULL;
COMMENT ON TABLE tiles IS 'One box on a dashboard: a visualization or a text note, with its position and parameter bindings.';

-- ---------------------------------------------------------------------------------------------------------------
-- Schedules (last_run_id FK is added after runs)
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE schedules (
    id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id               uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    query_id             uuid,
    dashboard_id         uuid,
    name                 text        NOT NULL CHECK (btrim(name) <> ''),
    params               jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),  -- parameter values
    kind                 text        NOT NULL CHECK (kind IN ('interval', 'cron')),
    every_seconds        integer     CHECK (every_seconds >= 60),
    cron                 text        CHECK (btrim(cron) <> ''),
    timezone             text        NOT NULL DEFAULT 'UTC' CHECK (timezone <> ''),
    enabled              boolean     NOT NULL DEFAULT true,
    next_run_at          timestamptz,
    last_fired_at        timestamptz,
    last_run_id          uuid,
    consecutive_failures integer     NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    last_error           text,
    created_by           uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, org_id),
    CONSTRAINT schedules_one_target CHECK (num_nonnulls(query_id, dashboard_id) = 1),
    CONSTRAINT schedules_kind_fields CHECK ((kind = 'interval' AND every_seconds IS NOT NULL AND cron IS NULL)
           OR (kind = 'cron' AND cron IS NOT NULL AND every_seconds IS NULL)),
    -- An enabled schedule always has a next slot, so it can never stop firing silently.
    CONSTRAINT schedules_enabled_has_next_run CHECK (NOT enabled OR next_run_at IS NOT NULL),
    FOREIGN KEY (query_id, org_id) REFERENCES queries (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (dashboard_id, org_id) REFERENCES dashboards (id, org_id) ON DELETE CASCADE
);
CREATE INDEX schedules_due_idx ON schedules (next_run_at) WHERE enabled;
CREATE INDEX schedules_org_idx ON schedules (org_id);
CREATE INDEX schedules_query_idx ON schedules (query_id) WHERE query_id IS NOT NULL;
CREATE INDEX schedules_dashboard_idx ON schedules (dashboard_id) WHERE dashboard_id IS NOT NULL;
COMMENT ON TABLE schedules IS 'A refresh of a query or a whole dashboard, on an interval or a cron, in a timezone.';

-- ---------------------------------------------------------------------------------------------------------------
-- Runs (DESIGN.md §3); result_id FK is added after results
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE runs (
    id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id              uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    query_id            uuid,                      -- NULL for ad-hoc SQL
    query_version       integer     CHECK (query_version > 0),
    datasource_id       uuid        NOT NULL,
    sql                 text        NOT NULL,
    params              jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),   -- parameter values
    bound_sql           text,                      -- as executed, with $n placeholders
    bind_values         jsonb       CHECK (jsonb_typeof(bind_values) = 'array'),
    options             jsonb       NOT NULL CHECK (jsonb_typeof(options) = 'object'),  -- effective timeout_ms, max_rows, max_bytes
    fingerprint         text        NOT NULL CHECK (fingerprint <> ''),
    trigger             text        NOT NULL CHECK (trigger IN ('manual', 'schedule', 'dashboard', 'api')),
    schedule_id         uuid,
    dashboard_id        uuid,
    requested_by        uuid        REFERENCES users (id) ON DELETE SET NULL,
    priority            smallint    NOT NULL DEFAULT 0,   -- higher first: interactive above scheduled
    status              text        NOT NULL DEFAULT 'queued'
                                    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out')),
    attempt             integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts        integer     NOT NULL DEFAULT 2 CHECK (max_attempts >= 1),
    runner_id           text,
    lease_until         timestamptz,
    backend_pid         integer,
    cancel_requested_at timestamptz,
    queue_deadline      timestamptz,               -- a queued run not claimed by then fails (queue timeout)
    created_at          timestamptz NOT NULL DEFAULT now(),
    started_at          timestamptz,
    finished_at         timestamptz,
    queue_ms            bigint      CHECK (queue_ms >= 0),
    exec_ms             bigint      CHECK (exec_ms >= 0),
    persist_ms          bigint      CHECK (persist_ms >= 0),
    row_count           bigint      CHECK (row_count >= 0),
    byte_count          bigint      CHECK (byte_count >= 0),
    truncated           boolean     NOT NULL DEFAULT false,
    truncated_reason    text        CHECK (truncated_reason IN ('max_rows', 'max_bytes')),
    error_code          text,
    error_message       text,
    error_position      integer     CHECK (error_position > 0),
    result_id           uuid,
    UNIQUE (id, org_id),
    CONSTRAINT runs_attempt_within_max CHECK (attempt <= max_attempts),
    CONSTRAINT runs_truncated_has_reason CHECK (truncated = (truncated_reason IS NOT NULL)),
    -- Terminal states carry finished_at; live states do not.
    CONSTRAINT runs_finished_iff_terminal
        CHECK ((status IN ('succeeded', 'failed', 'cancelled', 'timed_out')) = (finished_at IS NOT NULL)),
    -- A running run is owned by a runner under a lease.
    CONSTRAINT runs_running_has_lease CHECK (status <> 'running' OR (runner_id IS NOT NULL AND lease_until IS NOT NULL)),
    -- A failed run says why (SQLSTATE, queue_timeout, runner_lost, ...).
    CONSTRAINT runs_failed_has_error_code CHECK (status <> 'failed' OR error_code IS NOT NULL),
    FOREIGN KEY (datasource_id, org_id) REFERENCES datasources (id, org_id),
    FOREIGN KEY (query_id, org_id) REFERENCES queries (id, org_id) ON DELETE SET NULL (query_id),
    FOREIGN KEY (schedule_id, org_id) REFERENCES schedules (id, org_id) ON DELETE SET NULL (schedule_id),
    FOREIGN KEY (dashboard_id, org_id) REFERENCES dashboards (id, org_id) ON DELETE SET NULL (dashboard_id)
);
-- Claim: next queued runs, overall and per datasource (runners claim only datasources they hold a slot for).
CREATE INDEX runs_claim_idx ON runs (priority DESC, created_at) WHERE status = 'queued';
CREATE INDEX runs_claim_datasource_idx ON runs (datasource_id, priority DESC, created_at) WHERE status = 'queued';
-- Reaper: running runs whose lease expired.
CREATE INDEX runs_lease_idx ON runs (lease_until) WHERE status = 'running';
-- Dedup: at most one live run per fingerprint (INSERT ... ON CONFLICT (fingerprint) WHERE status IN (...)).
CREATE UNIQUE INDEX runs_live_fingerprint_uq ON runs (fingerprint) WHERE status IN ('queued', 'running');
-- Result reuse: latest successful run for a fingerprint.
CREATE INDEX runs_reuse_idx ON runs (fingerprint, finished_at DESC) WHERE status = 'succeeded';
-- History.
CREATE INDEX runs_org_created_idx ON runs (org_id, created_at DESC);
CREATE INDEX runs_org_query_created_idx ON runs (org_id, query_id, created_at DESC);
CREATE INDEX runs_datasource_created_idx ON runs (datasource_id, created_at DESC);
CREATE INDEX runs_schedule_created_idx ON runs (schedule_id, created_at DESC) WHERE schedule_id IS NOT NULL;
CREATE INDEX runs_dashboard_created_idx ON runs (dashboard_id, created_at DESC) WHERE dashboard_id IS NOT NULL;
-- Clearing result_id when the janitor deletes a result.
CREATE INDEX runs_result_idx ON runs (result_id) WHERE result_id IS NOT NULL;
COMMENT ON TABLE runs IS 'One execution of SQL against a datasource: queued, running, then succeeded, failed, cancelled or timed out.';

CREATE TABLE run_events (
    id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id  uuid        NOT NULL,
    org_id  uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    attempt integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    at      timestamptz NOT NULL DEFAULT now(),
    kind    text        NOT NULL CHECK (kind IN ('queued', 'claimed', 'started', 'progress', 'cancel_requested',
                                                 'lease_lost', 'requeued', 'finished')),
    detail  jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(detail) = 'object'),
    FOREIGN KEY (run_id, org_id) REFERENCES runs (id, org_id) ON DELETE CASCADE
);
CREATE INDEX run_events_run_idx ON run_events (run_id, id);
COMMENT ON TABLE run_events IS 'The append-only history of a run: queued, claimed, started, progress, cancel, lease lost, requeued, finished.';

-- ---------------------------------------------------------------------------------------------------------------
-- Results (DESIGN.md §5)
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE results (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id           uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    run_id           uuid        NOT NULL UNIQUE,
    storage          text        NOT NULL CHECK (storage IN ('postgres', 's3', 'local')),
    location         text,                      -- object key / directory prefix for s3 and local
    format_version   smallint    NOT NULL DEFAULT 1 CHECK (format_version > 0),
    columns          jsonb       NOT NULL CHECK (jsonb_typeof(columns) = 'array'),   -- header: names and types
    row_count        bigint      NOT NULL DEFAULT 0 CHECK (row_count >= 0),
    byte_count       bigint      NOT NULL DEFAULT 0 CHECK (byte_count >= 0),        -- uncompressed
    compressed_bytes bigint      NOT NULL DEFAULT 0 CHECK (compressed_bytes >= 0),
    chunk_count      integer     NOT NULL DEFAULT 0 CHECK (chunk_count >= 0),
    chunk_index      jsonb       CHECK (jsonb_typeof(chunk_index) = 'array'),  -- first_row, row_count, location/offset/length
    truncated        boolean     NOT NULL DEFAULT false,
    truncated_reason text        CHECK (truncated_reason IN ('max_rows', 'max_bytes')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    pinned           boolean     NOT NULL DEFAULT false,
    UNIQUE (id, org_id),
    CONSTRAINT results_object_store_has_location CHECK (storage = 'postgres' OR location IS NOT NULL),
    CONSTRAINT results_truncated_has_reason CHECK (truncated = (truncated_reason IS NOT NULL)),
    FOREIGN KEY (run_id, org_id) REFERENCES runs (id, org_id) ON DELETE CASCADE
);
CREATE INDEX results_expires_idx ON results (expires_at);
CREATE INDEX results_org_idx ON results (org_id, created_at DESC);
COMMENT ON TABLE results IS 'The stored output of a successful run: column header, chunk index, where the rows live, when it expires.';

CREATE TABLE result_chunks (
    result_id uuid    NOT NULL,
    chunk_no  integer NOT NULL CHECK (chunk_no >= 0),
    org_id    uuid    NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    first_row bigint  NOT NULL CHECK (first_row >= 0),
    row_count integer NOT NULL CHECK (row_count >= 0),
    data      bytea   NOT NULL,                  -- one zstd-compressed, independently decodable chunk
    PRIMARY KEY (result_id, chunk_no),
    FOREIGN KEY (result_id, org_id) REFERENCES results (id, org_id) ON DELETE CASCADE
);
COMMENT ON TABLE result_chunks IS 'The rows of a small result, stored in Postgres as compressed chunks.';

-- ---------------------------------------------------------------------------------------------------------------
-- Back references added once both sides exist
-- ---------------------------------------------------------------------------------------------------------------

ALTER TABLE runs
    ADD CONSTRAINT runs_result_fk FOREIGN KEY (result_id, org_id)
        REFERENCES results (id, org_id) ON DELETE SET NULL (result_id);

ALTER TABLE schedules
    ADD CONSTRAINT schedules_last_run_fk FOREIGN KEY (last_run_id, org_id)
        REFERENCES runs (id, org_id) ON DELETE SET NULL (last_run_id);
CREATE INDEX schedules_last_run_idx ON schedules (last_run_id) WHERE last_run_id IS NOT NULL;
