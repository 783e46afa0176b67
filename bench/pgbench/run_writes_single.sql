-- One small run's writes to the metadata database, one statement and commit per transition, as the run engine makes
-- them: RunSql.ENQUEUE, CLAIM (by id here), STARTED and SUCCEED with a one-chunk inline result, values literal.
-- Keep in step with shared/.../runs/RunSql.java. Driven by bench/sightline_bench.py ceiling.
\set n random(1, 1000000000)
with ins as (
  insert into runs (org_id, query_id, query_version, datasource_id, sql, params, bound_sql, bind_values, options,
                    fingerprint, trigger, schedule_id, dashboard_id, requested_by, priority, queue_deadline)
  values (:org, null, null, :ds, 'select n from generate_series(1,10) n -- ' || :n::text, '{}', 'select n from generate_series(1,10) n -- ' || :n::text, '[]',
          '{"timeoutMs":600000,"maxRows":20000000,"maxBytes":8589934592}', md5(:n::text || clock_timestamp()::text), 'api', null, null, :usr, 0,
          now() + 3600 * interval '1 second')
  on conflict (fingerprint) where status in ('queued', 'running') do nothing
  returning *
), ev as (
  insert into run_events (run_id, org_id, attempt, kind, detail)
  select id, org_id, attempt, 'queued', jsonb_build_object('trigger', 'api'::text) from ins
), req as (
  insert into run_requests (org_id, run_id, query_id, query_version, params, trigger, schedule_id, dashboard_id, requested_by)
  select org_id, id, query_id, query_version, params, trigger, schedule_id, dashboard_id, requested_by from ins
  returning id, run_id
)
select run_id, id as request_id from req
\gset
with next as materialized (
  select id from runs where id = :run_id and status = 'queued' for update skip locked
), claimed as (
  update runs r set status = 'running', attempt = r.attempt + 1, runner_id = 'r1',
         lease_until = now() + 30 * interval '1 second', started_at = now(), backend_pid = null,
         queue_ms = greatest(0, (extract(epoch from (now() - r.created_at)) * 1000)::bigint)
  from next where r.id = next.id
  returning r.id, r.org_id, r.datasource_id, r.bound_sql, r.bind_values, r.options, r.attempt, r.queue_ms,
            r.query_id, r.fingerprint, r.trigger
), ev as (
  insert into run_events (run_id, org_id, attempt, kind, detail)
  select id, org_id, attempt, 'claimed', jsonb_build_object('runner', 'r1'::text) from claimed
)
select coalesce(max(attempt), 0) as attempt from claimed
\gset
with upd as (
  update runs set backend_pid = 4242
  where id = :run_id and attempt = :attempt and status = 'running' and runner_id = 'r1'
  returning id, org_id, attempt
), ev as (
  insert into run_events (run_id, org_id, attempt, kind, detail)
  select id, org_id, attempt, 'started', jsonb_build_object('backendPid', 4242) from upd
)
select count(*)::int from upd;
with fence as materialized (
  select id from runs
  where id = :run_id and attempt = :attempt and status = 'running' and runner_id = 'r1' and cancel_requested_at is null
  for update
), res as (
  insert into results (id, org_id, run_id, storage, location, format_version, columns, row_count, byte_count,
                       compressed_bytes, chunk_count, chunk_index, truncated, truncated_reason, expires_at)
  select gen_random_uuid(), :org, id, 'postgres', null, 2, '[{"name":"n","type":"int4"}]', 10, 21,
         40, 1, '[]', false, null, now() + interval '7 days' from fence
  returning id
), chunks as (
  insert into result_chunks (result_id, chunk_no, org_id, first_row, row_count, data)
  select res.id, 0, :org, 0, 10, '\x28b52ffd2015a90000315b310a5b320a5b330a5b340a5b350a5b360a5b370a5b380a5b390a5b31305d0a'::bytea from res
), upd as (
  update runs r set status = 'succeeded', finished_at = now(), exec_ms = 1, persist_ms = 1, row_count = 10,
         byte_count = 21, truncated = false, truncated_reason = null, result_id = (select id from res), lease_until = null,
         error_code = null, error_message = null
  from fence where r.id = fence.id
  returning r.id, r.org_id, r.attempt
), ev as (
  insert into run_events (run_id, org_id, attempt, kind, detail)
  select id, org_id, attempt, 'finished', jsonb_build_object('status', 'succeeded', 'rows', 10, 'bytes', 21, 'truncated', false) from upd
)
select count(*)::int from upd;
