-- V5: visualizations are saved like queries (issue 12, docs/visualizations.md). Each save bumps `version`, and a save
-- naming a stale version is refused (409), so two editors never overwrite each other silently; `updated_by` says who
-- saved last (as queries.updated_by). The area kind joins line, bar, stat and table.
--
-- Visualizations are deleted, not archived: only dashboard tiles refer to one, and the API refuses (409) to delete a
-- visualization a tile uses, naming the dashboards; the tiles' foreign key keeps that true for any other writer.
-- archived_at stays for compatibility and is never set by the API.

ALTER TABLE visualizations DROP CONSTRAINT visualizations_kind_check;
ALTER TABLE visualizations ADD CONSTRAINT visualizations_kind_check
    CHECK (kind IN ('line', 'area', 'bar', 'stat', 'table'));

ALTER TABLE visualizations
    ADD COLUMN version    integer NOT NULL DEFAULT 1 CHECK (version > 0),
    ADD COLUMN updated_by uuid    REFERENCES users (id) ON DELETE SET NULL;
UPDATE visualizations SET updated_by = created_by;

-- A query's visualizations, oldest first (the list route).
DROP INDEX visualizations_query_idx;
CREATE INDEX visualizations_query_idx ON visualizations (query_id, created_at, id);

COMMENT ON TABLE visualizations IS 'A chart of a query''s result: line, area, bar, single stat or table; versioned on every save.';
