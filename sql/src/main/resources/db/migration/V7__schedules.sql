-- V7: schedules fire (issue 14, DESIGN.md §10, docs/schedules.md). V1 created `schedules`; this adds what saving,
-- pausing and firing them needs, and `schedule_firings`, the history of every slot: what happened to it and which
-- runs it started.
--
-- * version / updated_by: saved like queries (a save names the version it started from; a stale one is a 409).
-- * starts_at / ends_at: the window slots fall in (either may be open). ended_at: the window is over and the schedule
--   has no slot left (then it is not enabled; an enabled schedule always has a next_run_at, V1's CHECK).
-- * broken_reason: why the last firing could not enqueue (target archived, datasource gone, parameters no longer
--   valid); shown until a firing enqueues again. backoff_until: after a failure, slots before it are skipped
--   (recorded as skipped_backoff), never silently.
-- * schedule_firings: one row per slot (unique (schedule_id, slot_at): a slot fires at most once however many
--   runners scan), or per manual run-now (manual, slot_at = when it was asked for). `slots` > 1 only on the summary row of a long downtime: it stands
--   for that many missed slots from slot_at on. run_status / settled_at: the outcome of the firing's runs once they all
--   ended, fed back into the schedule's consecutive_failures and last_error.

ALTER TABLE schedules
    ADD COLUMN starts_at     timestamptz,
    ADD COLUMN ends_at       timestamptz,
    ADD COLUMN ended_at      timestamptz,
    ADD COLUMN version       integer     NOT NULL DEFAULT 1 CHECK (version > 0),
    ADD COLUMN updated_by    uuid        REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN broken_reason text,
    ADD COLUMN backoff_until timestamptz,
    ADD CONSTRAINT schedules_window CHECK (starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at),
    ADD CONSTRAINT schedules_ended_not_enabled CHECK (ended_at IS NULL OR NOT enabled);
UPDATE schedules SET updated_by = created_by;

-- The due scan: WHERE enabled AND next_run_at <= $now ORDER BY next_run_at (V1's schedules_due_idx serves it).
-- The list: the org's schedules, most recently changed first (keyset on updated_at, id).
CREATE INDEX schedules_org_updated_idx ON schedules (org_id, updated_at DESC, id DESC);

CREATE TABLE schedule_firings (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    schedule_id uuid        NOT NULL,
    org_id      uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    slot_at     timestamptz NOT NULL,             -- the planned slot (run-now: when it was asked for)
    fired_at    timestamptz NOT NULL DEFAULT now(),
    outcome     text        NOT NULL CHECK (outcome IN ('enqueued', 'reused', 'skipped_overlap', 'skipped_missed',
                                                        'skipped_backoff', 'failed_to_enqueue')),
    manual      boolean     NOT NULL DEFAULT false,
    slots       integer     NOT NULL DEFAULT 1 CHECK (slots >= 1),
    run_ids     uuid[]      NOT NULL DEFAULT '{}',
    error       text,
    run_status  text        CHECK (run_status IN ('succeeded', 'failed', 'cancelled')),
    settled_at  timestamptz,
    CONSTRAINT schedule_firings_runs_iff_enqueued
        CHECK ((outcome IN ('enqueued', 'reused')) = (cardinality(run_ids) > 0)),
    CONSTRAINT schedule_firings_error_iff_failed CHECK ((outcome = 'failed_to_enqueue') = (error IS NOT NULL)),
    CONSTRAINT schedule_firings_summary_is_missed CHECK (slots = 1 OR outcome = 'skipped_missed'),
    FOREIGN KEY (schedule_id, org_id) REFERENCES schedules (id, org_id) ON DELETE CASCADE
);
-- A slot fires at most once, however many runners scan (a second firing of it fails its transaction). Run-nows are
-- outside the slots.
CREATE UNIQUE INDEX schedule_firings_slot_uq ON schedule_firings (schedule_id, slot_at) WHERE NOT manual;
-- A schedule's history, newest first (keyset on slot_at, id).
CREATE INDEX schedule_firings_history_idx ON schedule_firings (schedule_id, slot_at DESC, id DESC);
-- Firings whose runs have not all ended yet: the overlap check and the settling of run outcomes.
CREATE INDEX schedule_firings_unsettled_idx ON schedule_firings (schedule_id)
    WHERE settled_at IS NULL AND cardinality(run_ids) > 0;
CREATE INDEX schedule_firings_org_idx ON schedule_firings (org_id);
COMMENT ON TABLE schedule_firings IS 'Every slot of a schedule (and every run-now): enqueued, reused, skipped or failed, with its runs.';
