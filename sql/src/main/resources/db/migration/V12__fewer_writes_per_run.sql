-- Fewer writes per run (issue 17, small runs). Every run inserts four run_events rows, a run_requests row and, on
-- success, a results row and its result_chunks rows; each org_id foreign key below made Postgres check (and lock
-- FOR KEY SHARE) the org's row for every one of them — the same row for every run of the org, from every concurrent
-- transaction. They checked nothing the composite keys do not: each of these rows also references its parent by
-- (id, org_id) — run_events, run_requests and results reference runs (id, org_id), result_chunks references
-- results (id, org_id) — whose org_id references orgs in turn, and deleting an org still reaches them through those
-- parents' ON DELETE CASCADE.
ALTER TABLE run_events DROP CONSTRAINT run_events_org_id_fkey;
ALTER TABLE run_requests DROP CONSTRAINT run_requests_org_id_fkey;
ALTER TABLE results DROP CONSTRAINT results_org_id_fkey;
ALTER TABLE result_chunks DROP CONSTRAINT result_chunks_org_id_fkey;

-- No statement uses it: every claim, count and reap of queued runs names the datasource or is served as well by
-- runs_claim_datasource_idx, and each index on runs is written on every insert.
DROP INDEX runs_claim_idx;
