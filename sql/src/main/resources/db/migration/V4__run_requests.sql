-- V5: who asked for a run (DESIGN.md §2, §3 "Dedup"). Identical live requests share one execution (runs), but every
-- request is recorded and attributed here: requester, query and version, parameter values, trigger, schedule or
-- dashboard. A requester withdraws their own request; the execution is cancelled only when no request remains, or by
-- an editor or admin for everyone (runs.cancel_requested_by says who).

CREATE TABLE run_requests (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id        uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    run_id        uuid        NOT NULL,
    query_id      uuid,                      -- NULL for ad-hoc SQL
    query_version integer     CHECK (query_version > 0),
    params        jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),  -- values as requested
    trigger       text        NOT NULL CHECK (trigger IN ('manual', 'schedule', 'dashboard', 'api')),
    schedule_id   uuid,
    dashboard_id  uuid,
    requested_by  uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    withdrawn_at  timestamptz,               -- the requester (or an editor cancelling for everyone) took it back
    withdrawn_by  uuid        REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT run_requests_withdrawn_by_needs_at CHECK (withdrawn_by IS NULL OR withdrawn_at IS NOT NULL),
    FOREIGN KEY (run_id, org_id) REFERENCES runs (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (query_id, org_id) REFERENCES queries (id, org_id) ON DELETE SET NULL (query_id),
    FOREIGN KEY (schedule_id, org_id) REFERENCES schedules (id, org_id) ON DELETE SET NULL (schedule_id),
    FOREIGN KEY (dashboard_id, org_id) REFERENCES dashboards (id, org_id) ON DELETE SET NULL (dashboard_id)
);
-- The requests of one execution (live ones decide whether a withdrawal cancels it).
CREATE INDEX run_requests_run_idx ON run_requests (run_id, created_at);
-- History: the org's, a query's, a person's ("only mine"), a schedule's, a dashboard's; newest first, keyset.
CREATE INDEX run_requests_org_created_idx ON run_requests (org_id, created_at DESC, id DESC);
CREATE INDEX run_requests_org_query_created_idx ON run_requests (org_id, query_id, created_at DESC, id DESC);
CREATE INDEX run_requests_org_requester_created_idx ON run_requests (org_id, requested_by, created_at DESC, id DESC);
CREATE INDEX run_requests_schedule_idx ON run_requests (schedule_id, created_at DESC) WHERE schedule_id IS NOT NULL;
CREATE INDEX run_requests_dashboard_idx ON run_requests (dashboard_id, created_at DESC) WHERE dashboard_id IS NOT NULL;
COMMENT ON TABLE run_requests IS 'Who asked for a run: several requests may share one execution; each is attributed and listed.';

-- Who cancelled an execution for everyone (or withdrew its last request).
ALTER TABLE runs ADD COLUMN cancel_requested_by uuid REFERENCES users (id) ON DELETE SET NULL;

-- One request per existing run, as the run recorded it. A cancelled run's request counts as withdrawn by whoever the
-- cancel_requested event names.
UPDATE runs r SET cancel_requested_by = u.id
FROM run_events e JOIN users u ON u.id::text = e.detail ->> 'by'
WHERE e.run_id = r.id AND e.kind = 'cancel_requested' AND r.cancel_requested_at IS NOT NULL;

INSERT INTO run_requests (org_id, run_id, query_id, query_version, params, trigger, schedule_id, dashboard_id,
                          requested_by, created_at, withdrawn_at, withdrawn_by)
SELECT org_id, id, query_id, query_version, params, trigger, schedule_id, dashboard_id, requested_by, created_at,
       cancel_requested_at, CASE WHEN cancel_requested_at IS NOT NULL THEN cancel_requested_by END
FROM runs;
