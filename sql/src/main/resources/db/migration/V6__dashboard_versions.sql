-- V6: dashboards are saved like queries (issue 13, docs/api.md "Dashboards"). Each save sends the whole dashboard with
-- the `version` it started from; a stale one is refused (409) and every save is kept in dashboard_versions (the whole
-- layout as JSON: tiles with positions, bindings and text), so any version can be viewed and restored as a new save.
--
-- V1's layout_version was that counter in all but name: renamed to version (as queries.version). param_bindings is
-- renamed to bindings (tile parameter → {"from": "dashboard", "param": …} | {"value": …} | {"default": true}). Tiles
-- gain a title override, a click action ({"setParam": <dashboard param>, "column": <result column>}) and their
-- position in the saved list (ordinal), so a dashboard reads back in the order it was saved and an error naming
-- /tiles/3 means the same tile on the next save. dashboard_views records each member's last view of a dashboard
-- ("last viewed", the home page's recent dashboards).
--
-- Dashboards are archived, not deleted, once runs, run requests or schedules refer to them (as queries).

ALTER TABLE dashboards RENAME COLUMN layout_version TO version;
ALTER TABLE dashboards RENAME CONSTRAINT dashboards_layout_version_check TO dashboards_version_check;
ALTER TABLE dashboards
    ADD COLUMN updated_by uuid   REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN tags       text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20);
UPDATE dashboards SET updated_by = created_by;
-- The list: most recently changed first (keyset on updated_at, id), and the tag filter.
CREATE INDEX dashboards_org_updated_idx ON dashboards (org_id, updated_at DESC, id DESC) WHERE archived_at IS NULL;
CREATE INDEX dashboards_tags_idx ON dashboards USING gin (tags) WHERE archived_at IS NULL;

ALTER TABLE tiles RENAME COLUMN param_bindings TO bindings;
ALTER TABLE tiles RENAME CONSTRAINT tiles_param_bindings_check TO tiles_bindings_check;
ALTER TABLE tiles
    ADD COLUMN title        text,
    ADD COLUMN click_action jsonb   CHECK (click_action IS NULL OR jsonb_typeof(click_action) = 'object'),
    ADD COLUMN ordinal      integer NOT NULL DEFAULT 0 CHECK (ordinal >= 0);
DROP INDEX tiles_dashboard_idx;
CREATE INDEX tiles_dashboard_idx ON tiles (dashboard_id, ordinal);

CREATE TABLE dashboard_versions (
    dashboard_id    uuid        NOT NULL,
    version         integer     NOT NULL CHECK (version > 0),
    org_id          uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name            text        NOT NULL,
    slug            text        NOT NULL,
    description     text        NOT NULL DEFAULT '',
    params          jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(params) = 'array'),
    refresh_seconds integer,
    tags            text[]      NOT NULL DEFAULT '{}',
    tiles           jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(tiles) = 'array'),  -- the whole layout
    saved_by        uuid        REFERENCES users (id) ON DELETE SET NULL,
    saved_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dashboard_id, version),
    FOREIGN KEY (dashboard_id, org_id) REFERENCES dashboards (id, org_id) ON DELETE CASCADE
);
COMMENT ON TABLE dashboard_versions IS 'Every saved version of a dashboard: parameters, refresh, tags and the whole layout (tiles as JSON).';

CREATE TABLE dashboard_views (
    user_id      uuid        NOT NULL,
    dashboard_id uuid        NOT NULL,
    org_id       uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    viewed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, dashboard_id),
    FOREIGN KEY (user_id, org_id) REFERENCES memberships (user_id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (dashboard_id, org_id) REFERENCES dashboards (id, org_id) ON DELETE CASCADE
);
-- A member's recent dashboards, newest view first.
CREATE INDEX dashboard_views_recent_idx ON dashboard_views (user_id, org_id, viewed_at DESC, dashboard_id DESC);
CREATE INDEX dashboard_views_dashboard_idx ON dashboard_views (dashboard_id);
COMMENT ON TABLE dashboard_views IS 'When a member last opened a dashboard (last viewed, recent dashboards).';

-- Existing dashboards get their current state as their version.
INSERT INTO dashboard_versions (dashboard_id, version, org_id, name, slug, description, params, refresh_seconds, tags,
                                tiles, saved_by, saved_at)
SELECT d.id, d.version, d.org_id, d.name, d.slug, d.description, d.params, d.refresh_seconds, d.tags,
       coalesce((SELECT jsonb_agg(jsonb_build_object('id', t.id, 'kind', t.kind, 'visualizationId', t.visualization_id,
                                                     'title', t.title, 'text', t.text, 'x', t.x, 'y', t.y, 'w', t.w,
                                                     'h', t.h, 'bindings', t.bindings,
                                                     'clickAction', t.click_action) ORDER BY t.ordinal, t.y, t.x)
                 FROM tiles t WHERE t.dashboard_id = d.id), '[]'),
       d.updated_by, d.updated_at
FROM dashboards d;

COMMENT ON TABLE dashboards IS 'A grid of tiles with shared parameters and optional auto-refresh; versioned on every save.';
