package io.sightline.shared.runs;

/**
 * The run queue's SQL (DESIGN.md §3), in one place. Every runner write after the claim is fenced by
 * {@code id = $1 and attempt = $2 and status = 'running' and runner_id = <the claimer>}: zero rows updated means the
 * lease was lost (a reaper took the run over, or ended it) and the caller must write nothing else. Each state change inserts its run_events row in the same statement.
 */
final class RunSql {
  private RunSql() {}

  static final String DATASOURCE_FOR_RUN = """
      select id, default_timeout_ms, max_timeout_ms, default_max_rows, max_rows_limit, default_max_bytes,
             max_bytes_limit
      from datasources where id = $1 and org_id = $2 and archived_at is null""";

  /** A recent successful run of the same fingerprint whose result is still there (max_age reuse). */
  static final String REUSABLE = """
      select r.id from runs r join results res on res.id = r.result_id and res.expires_at > now()
      where r.fingerprint = $1 and r.org_id = $2 and r.status = 'succeeded'
        and r.finished_at > now() - $3::bigint * interval '1 second'
      order by r.finished_at desc limit 1""";

  /** {@link #DATASOURCE_FOR_RUN} for several datasources ($1 an array) of org $2. */
  static final String DATASOURCES_FOR_RUNS = """
      select id, default_timeout_ms, max_timeout_ms, default_max_rows, max_rows_limit, default_max_bytes,
             max_bytes_limit
      from datasources where id = any($1) and org_id = $2 and archived_at is null""";

  /** {@link #REUSABLE} for several fingerprints ($1 an array) at once: the latest per fingerprint. */
  static final String REUSABLE_MANY = """
      select distinct on (r.fingerprint) r.fingerprint, r.id, r.result_id, r.finished_at from runs r
        join results res on res.id = r.result_id and res.expires_at > now()
      where r.fingerprint = any($1) and r.org_id = $2 and r.status = 'succeeded'
        and r.finished_at > now() - $3::bigint * interval '1 second'
      order by r.fingerprint, r.finished_at desc""";

  /** The columns of a run_requests row a caller is given values for, in the order of {@link #REQUEST_VALUES}. */
  private static final String REQUEST_COLUMNS =
      "org_id, run_id, query_id, query_version, params, trigger, schedule_id, dashboard_id, requested_by";

  /**
   * A new execution, its queued event and its first request in one statement; no row when an identical execution is
   * live (then {@link #JOIN_LIVE} records the request on it).
   */
  static final String ENQUEUE = """
      with ins as (
        insert into runs (org_id, query_id, query_version, datasource_id, sql, params, bound_sql, bind_values, options,
                          fingerprint, trigger, schedule_id, dashboard_id, requested_by, priority, queue_deadline)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                now() + $16::int * interval '1 second')
        on conflict (fingerprint) where status in ('queued', 'running') do nothing
        returning *
      ), ev as (
        insert into run_events (run_id, org_id, attempt, kind, detail)
        select id, org_id, attempt, 'queued', jsonb_build_object('trigger', $11::text) from ins
      ), req as (
        insert into run_requests (""" + REQUEST_COLUMNS + """
      )
        select org_id, id, query_id, query_version, params, trigger, schedule_id, dashboard_id, requested_by from ins
        returning id, run_id
      )
      select run_id, id as request_id from req""";

  /** The values of a further request: $3 query_id … $9 requested_by ($1 and $2 select the execution). */
  private static final String REQUEST_VALUES = "$3::uuid, $4::int, $5::jsonb, $6::text, $7::uuid, $8::uuid, $9::uuid";

  /**
   * Records a request on the live execution of this fingerprint ($1, org $2), unless a cancel was asked for it. The
   * execution's row is locked (as a withdrawal locks it), so a request never joins an execution that its last
   * requester's withdrawal is cancelling: whichever commits second sees the other.
   */
  static final String JOIN_LIVE = """
      with live as materialized (
        select id, org_id, status from runs
        where fingerprint = $1 and org_id = $2 and status in ('queued', 'running') and cancel_requested_at is null
        for no key update
      ), req as (
        insert into run_requests (""" + REQUEST_COLUMNS + """
      )
        select org_id, id, """ + REQUEST_VALUES + """
       from live
        returning id, run_id
      )
      select req.run_id, req.id as request_id, live.status from req join live on live.id = req.run_id""";

  /** Records a request answered by a finished execution's result ($1, org $2: max_age reuse). */
  static final String ATTACH = """
      insert into run_requests (""" + REQUEST_COLUMNS + """
      )
      select org_id, id, """ + REQUEST_VALUES + """
       from runs where id = $1 and org_id = $2
      returning run_id, id as request_id""";

  /** A request's columns as every request read names them ({@code rq}, joined by {@link #REQUEST_JOINS}). */
  private static final String REQUEST_SELECT = """
      rq.id as request_id, rq.query_id as request_query_id, rq_q.name as request_query_name,
      rq.query_version as request_query_version, rq.params as request_params, rq.trigger as request_trigger,
      rq.schedule_id as request_schedule_id, rq.dashboard_id as request_dashboard_id,
      rq.requested_by as request_requested_by, rq_u.email as request_requested_by_email,
      rq_u.display_name as request_requested_by_name, rq.created_at as requested_at, rq.withdrawn_at,
      rq.withdrawn_by, rq_w.email as withdrawn_by_email, rq_w.display_name as withdrawn_by_name,
      (select count(*)::int from run_requests o
       where o.run_id = rq.run_id and o.id <> rq.id and o.withdrawn_at is null) as shared_with""";

  private static final String REQUEST_JOINS = """
      left join queries rq_q on rq_q.id = rq.query_id
      left join users rq_u on rq_u.id = rq.requested_by
      left join users rq_w on rq_w.id = rq.withdrawn_by""";

  /**
   * Runs ahead counted at most: every enqueue answers with its run, so an exact count under a backlog of thousands
   * made each enqueue cost as much as the backlog (profiled: the largest share of Postgres's time at 150 runs/s
   * offered). Beyond it the answer says "at least" ({@code queue.aheadAtLeast}).
   */
  public static final int QUEUE_AHEAD_COUNTED = 1000;

  /**
   * One run, with who asked for it; while it is queued also where it stands: queued runs of its datasource a runner
   * claims before it (the claim order: priority, then age; up to {@link #QUEUE_AHEAD_COUNTED} + 1), the datasource's
   * running runs and its cap. The counts are subqueries inside CASE, so they run only for a queued run
   * (runs_claim_datasource_idx serves the first).
   */
  static final String GET = """
      select r.id, r.org_id, r.query_id, r.query_version, r.datasource_id, r.sql, r.params, r.bind_values, r.options,
             r.trigger, r.requested_by, r.priority, r.status, r.attempt, r.max_attempts, r.runner_id, r.backend_pid,
             r.cancel_requested_at, r.created_at, r.started_at, r.finished_at, r.queue_ms, r.exec_ms, r.persist_ms,
             r.row_count, r.byte_count, r.truncated, r.truncated_reason, r.error_code, r.error_message,
             r.error_position, r.result_id, u.email as requested_by_email, u.display_name as requested_by_name,
             r.cancel_requested_by, cu.email as cancelled_by_email, cu.display_name as cancelled_by_name,
             case when r.status = 'queued' then
               (select count(*)::int from (select 1 from runs a
                where a.status = 'queued' and a.datasource_id = r.datasource_id and a.cancel_requested_at is null
                  and (a.priority > r.priority
                       or (a.priority = r.priority and (a.created_at, a.id) < (r.created_at, r.id)))
                limit %d) ahead) end as queue_ahead,
             case when r.status = 'queued' then
               (select count(*)::int from runs b
                where b.status = 'running' and b.datasource_id = r.datasource_id) end as queue_running,
             case when r.status = 'queued' then
               (select d.max_concurrency from datasources d where d.id = r.datasource_id) end as queue_max_concurrency
      from runs r
      left join users u on u.id = r.requested_by
      left join users cu on cu.id = r.cancel_requested_by
      where r.id = $1 and r.org_id = $2""".formatted(QUEUE_AHEAD_COUNTED + 1);

  /**
   * {@link #GET} with every request of the execution, in one statement: a row per request (oldest first, at most 500;
   * one row with null request columns when it has none). Every enqueue answers with this, and every poll of a run
   * reads it.
   */
  static final String VIEW = "with r as materialized (\n" + GET + "\n)\nselect r.*, req.* from r left join lateral (\n"
      + "select " + REQUEST_SELECT + "\nfrom run_requests rq\n" + REQUEST_JOINS + """

      where rq.run_id = r.id and rq.org_id = r.org_id
      order by rq.created_at, rq.id
      limit 500) req on true""";

  /**
   * Datasources with queued work (the one whose next run in claim order is oldest first), with their caps and their
   * queued runs counted up to {@link #QUEUE_AHEAD_COUNTED} (a claim takes far fewer). Every claim pass runs this, so it
   * must not cost as much as the backlog: the datasources are found by skipping through runs_claim_datasource_idx one
   * datasource at a time (a loose index scan), and each is counted only as far as the cap (profiled: counting every
   * queued run was the largest share of Postgres's time under a backlog of thousands).
   */
  static final String CANDIDATES = """
      with recursive ds as (
        (select datasource_id from runs where status = 'queued' and cancel_requested_at is null
         order by datasource_id limit 1)
        union all
        select (select r.datasource_id from runs r
                where r.status = 'queued' and r.cancel_requested_at is null and r.datasource_id > ds.datasource_id
                order by r.datasource_id limit 1)
        from ds where ds.datasource_id is not null
      )
      select ds.datasource_id, d.max_concurrency, q.queued, q.oldest
      from ds join datasources d on d.id = ds.datasource_id
      cross join lateral (
        select count(*)::int as queued, min(created_at) as oldest from (
          select r.created_at from runs r
          where r.status = 'queued' and r.datasource_id = ds.datasource_id and r.cancel_requested_at is null
          order by r.priority desc, r.created_at
          limit %d) head) q
      where q.queued > 0
      order by q.oldest""".formatted(QUEUE_AHEAD_COUNTED);

  /**
   * Claims up to $3 queued runs of one datasource in one statement, and never more than its cap leaves room for beside
   * its running runs: the cluster map's slots enforce the cap, this is the backstop for when the map lost them (its
   * Hazelcast partitions died with a member). A lost run counts as running until its sessions were ended.
   */
  static final String CLAIM = """
      with next as materialized (
        select id from runs
        where status = 'queued' and datasource_id = $2 and cancel_requested_at is null
        order by priority desc, created_at, id
        limit greatest(0, least($3,
          (select d.max_concurrency from datasources d where d.id = $2)
            - (select count(*) from runs b where b.status = 'running' and b.datasource_id = $2)))
        for update skip locked
      ), claimed as (
        update runs r set status = 'running', attempt = r.attempt + 1, runner_id = $1,
               lease_until = now() + $4::int * interval '1 second', started_at = now(), backend_pid = null,
               queue_ms = greatest(0, (extract(epoch from (now() - r.created_at)) * 1000)::bigint)
        from next where r.id = next.id
        returning r.id, r.org_id, r.datasource_id, r.bound_sql, r.bind_values, r.options, r.attempt, r.queue_ms,
                  r.query_id, r.fingerprint, r.trigger
      ), ev as (
        insert into run_events (run_id, org_id, attempt, kind, detail)
        select id, org_id, attempt, 'claimed', jsonb_build_object('runner', $1::text) from claimed
      )
      select * from claimed""";

  static final String STARTED = """
      with upd as (
        update runs set backend_pid = $3
        where id = $1 and attempt = $2 and status = 'running' and runner_id = $4
        returning id, org_id, attempt
      ), ev as (
        insert into run_events (run_id, org_id, attempt, kind, detail)
        select id, org_id, attempt, 'started', jsonb_build_object('backendPid', $3::int) from upd
      )
      select count(*)::int from upd""";

  static final String PROGRESS = """
      insert into run_events (run_id, org_id, attempt, kind, detail)
      select id, org_id, attempt, 'progress', jsonb_build_object('rows', $3::bigint, 'bytes', $4::bigint)
      from runs where id = $1 and attempt = $2 and status = 'running' and runner_id = $5""";

  /**
   * Success in one statement (no transaction round trips): the fence — this attempt still owns the run, no cancel was
   * asked — is taken and locked first; only through it are the results row, its inline chunks ($17–$20, empty arrays
   * for a result in the object store), the run's new state and the finished event written. A runner whose attempt was
   * taken from it (and that another attempt may since have finished, result included) writes nothing and is answered
   * 0, so it never even tries to store a second result for the run. $1 run, $2 attempt, $3 runner, $4 exec_ms,
   * $5 persist_ms, $6 result id, $7 org, $8 storage, $9 location, $10 format version, $11 columns, $12 row count,
   * $13 byte count, $14 compressed bytes, $15 chunk count, $16 chunk index, $21 truncated, $22 truncated reason,
   * $23 expires at.
   */
  static final String SUCCEED = """
      with fence as materialized (
        select id from runs
        where id = $1 and attempt = $2 and status = 'running' and runner_id = $3 and cancel_requested_at is null
        for update
      ), res as (
        insert into results (id, org_id, run_id, storage, location, format_version, columns, row_count, byte_count,
                             compressed_bytes, chunk_count, chunk_index, truncated, truncated_reason, expires_at)
        select $6::uuid, $7::uuid, id, $8::text, $9::text, $10::smallint, $11::jsonb, $12::bigint, $13::bigint,
               $14::bigint, $15::int, $16::jsonb, $21::boolean, $22::text, $23::timestamptz from fence
        returning id
      ), chunks as (
        insert into result_chunks (result_id, chunk_no, org_id, first_row, row_count, data)
        select res.id, c.chunk_no, $7::uuid, c.first_row, c.row_count, c.data
        from res, unnest($17::int[], $18::bigint[], $19::int[], $20::bytea[]) as c(chunk_no, first_row, row_count,
                                                                                    data)
      ), upd as (
        update runs r set status = 'succeeded', finished_at = now(), exec_ms = $4, persist_ms = $5, row_count = $12,
               byte_count = $13, truncated = $21, truncated_reason = $22, result_id = $6, lease_until = null,
               error_code = null, error_message = null
        from fence where r.id = fence.id
        returning r.id, r.org_id, r.attempt
      ), ev as (
        insert into run_events (run_id, org_id, attempt, kind, detail)
        select id, org_id, attempt, 'finished', jsonb_build_object('status', 'succeeded', 'rows', $12::bigint,
               'bytes', $13::bigint, 'truncated', $21::boolean) from upd
      )
      select count(*)::int from upd""";

  /** failed, cancelled or timed_out. */
  static final String FINISH_UNSUCCESSFULLY = """
      with upd as (
        update runs set status = $3, finished_at = now(), exec_ms = $4, error_code = $5, error_message = $6,
               error_position = $7, row_count = $8, lease_until = null
        where id = $1 and attempt = $2 and status = 'running' and runner_id = $9
        returning id, org_id, attempt, backend_pid is not null as statement_sent
      ), ev as (
        insert into run_events (run_id, org_id, attempt, kind, detail)
        select id, org_id, attempt, 'finished', jsonb_build_object('status', $3::text, 'errorCode', $5::text,
               'statementSent', statement_sent) from upd
      )
      select count(*)::int from upd""";

  /**
   * A failure before the statement was sent (the runner never reported a session): back to the queue while attempts
   * remain, else failed. Never used once a statement may have reached the datasource (DESIGN.md §3, leases).
   */
  static final String REQUEUE_OR_FAIL = """
      with upd as (
        update runs set status = case when attempt < max_attempts then 'queued' else 'failed' end,
               finished_at = case when attempt < max_attempts then null else now() end,
               runner_id = case when attempt < max_attempts then null else runner_id end,
               lease_until = null, backend_pid = null, error_code = $3, error_message = $4
        where id = $1 and attempt = $2 and status = 'running' and runner_id = $5
        returning id, org_id, attempt, status
      ), ev as (
        insert into run_events (run_id, org_id, attempt, kind, detail)
        select id, org_id, attempt, case when status = 'queued' then 'requeued' else 'finished' end,
               jsonb_build_object('status', status, 'errorCode', $3::text, 'statementSent', false) from upd
      )
      select status from upd""";

  /** Renews this runner's leases in one statement; tells which of its runs were asked to cancel. */
  static final String RENEW = """
      update runs set lease_until = now() + $2::int * interval '1 second'
      where runner_id = $1 and status = 'running' and id = any($3)
      returning id, attempt, cancel_requested_at is not null as cancel_requested""";

  /**
   * The reaper's first step: takes over up to $3 runs whose runner stopped renewing its lease, by moving their lease to
   * the reaper ($1, for $2 seconds) so no other reaper takes them meanwhile and the lost runner's renewals and fenced
   * writes fail. Answers what the reaper needs to end their sessions (and the query and fingerprint its events carry);
   * records lease_lost with whether a statement was sent (a backend was recorded). The run stays running until
   * {@link #END_LOST}.
   */
  static final String TAKE_OVER_LOST = takeOver("lease_until < now()");

  /**
   * {@link #TAKE_OVER_LOST} for the runs of runner $4, whatever their lease: its cluster member left (killed, or cut
   * off), so they are recovered at once instead of when their lease expires.
   */
  static final String TAKE_OVER_RUNNER = takeOver("runner_id = $4");

  private static String takeOver(String lostWhen) {
    return """
        with lost as materialized (
          select id, runner_id from runs where status = 'running' and \s""" + lostWhen + """

          order by lease_until limit $3 for update skip locked
        ), upd as (
          update runs r set runner_id = $1, lease_until = now() + $2::int * interval '1 second'
          from lost where r.id = lost.id
          returning r.id, r.org_id, r.datasource_id, r.attempt, r.backend_pid, lost.runner_id as lost_runner,
                    r.query_id, r.fingerprint
        ), ev as (
          insert into run_events (run_id, org_id, attempt, kind, detail)
          select id, org_id, attempt, 'lease_lost', jsonb_build_object('runner', lost_runner, 'recoveredBy', $1::text,
                 'statementSent', backend_pid is not null) from upd
        )
        select * from upd""";
  }

  /**
   * The reaper's last step, once the run's sessions were ended (fenced on the reaper's takeover): a cancel asked for is
   * honoured; a run whose statement was never sent goes back to the queue while attempts remain; one whose statement
   * may have run is failed as runner_lost, never executed again. $3 = the reaper, $4 = the lost runner.
   */
  static final String END_LOST = """
      with upd as (
        update runs r set
          status = case when r.cancel_requested_at is not null then 'cancelled'
                        when r.backend_pid is null and r.attempt < r.max_attempts then 'queued' else 'failed' end,
          finished_at = case when r.cancel_requested_at is null and r.backend_pid is null
                              and r.attempt < r.max_attempts then null else now() end,
          error_code = case when r.cancel_requested_at is not null then r.error_code else 'runner_lost' end,
          error_message = case when r.cancel_requested_at is not null then r.error_message
                               when r.backend_pid is null then 'runner ' || $4 || ' stopped renewing its lease'
                                 || ' before its statement was sent'
                               else 'runner ' || $4 || ' was lost during the run; its statement may have run, so'
                                 || ' it is not run again' end,
          runner_id = case when r.cancel_requested_at is null and r.backend_pid is null
                            and r.attempt < r.max_attempts then null else $4 end,
          lease_until = null, backend_pid = null
        from (select id, backend_pid is not null as statement_sent from runs where id = $1) before
        where r.id = $1 and r.attempt = $2 and r.status = 'running' and r.runner_id = $3 and before.id = r.id
        returning r.id, r.org_id, r.attempt, r.status, before.statement_sent
      ), ev as (
        insert into run_events (run_id, org_id, attempt, kind, detail)
        select id, org_id, attempt, case when status = 'queued' then 'requeued' else 'finished' end,
               jsonb_build_object('status', status, 'errorCode', 'runner_lost', 'statementSent', statement_sent)
        from upd
      )
      select id, org_id, status from upd""";

  /** Fails queued runs no runner claimed before their queue deadline; answers them with their query and fingerprint. */
  static final String REAP_QUEUE_TIMEOUTS = """
      with late as materialized (
        select id from runs where status = 'queued' and queue_deadline < now()
        order by queue_deadline limit 200 for update skip locked
      ), upd as (
        update runs r set status = 'failed', finished_at = now(), error_code = 'queue_timeout',
               error_message = 'no runner started this run before its queue timeout'
        from late where r.id = late.id
        returning r.id, r.org_id, r.attempt, r.query_id, r.fingerprint
      ), ev as (
        insert into run_events (run_id, org_id, attempt, kind, detail)
        select id, org_id, attempt, 'finished', jsonb_build_object('status', 'failed', 'errorCode', 'queue_timeout')
        from upd
      )
      select id, org_id, query_id, fingerprint from upd""";

  /** Locks an execution while its requests are withdrawn (see {@link #JOIN_LIVE}). */
  static final String LOCK_RUN = """
      select status, cancel_requested_at from runs where id = $1 and org_id = $2 for no key update""";

  /**
   * Withdraws live requests of execution $1 (org $2) by user $3: only requester $4's when given, only request $5
   * when given, else all of them (a cancel for everyone).
   */
  static final String WITHDRAW = """
      update run_requests set withdrawn_at = now(), withdrawn_by = $3
      where run_id = $1 and org_id = $2 and withdrawn_at is null
        and ($4::uuid is null or requested_by = $4) and ($5::uuid is null or id = $5)
      returning id""";

  static final String LIVE_REQUESTS = """
      select count(*)::int as live from run_requests where run_id = $1 and withdrawn_at is null""";

  /**
   * Records a cancel by user $3 ($4: why — everyone, or last_request when its last request was withdrawn); a queued
   * run ends at once, a running one when its runner acts on it.
   */
  static final String CANCEL = """
      with upd as (
        update runs set cancel_requested_at = coalesce(cancel_requested_at, now()), cancel_requested_by = $3,
               status = case when status = 'queued' then 'cancelled' else status end,
               finished_at = case when status = 'queued' then now() else finished_at end
        where id = $1 and org_id = $2 and status in ('queued', 'running') and cancel_requested_at is null
        returning id, org_id, attempt, status
      ), ev as (
        insert into run_events (run_id, org_id, attempt, kind, detail)
        select id, org_id, attempt, 'cancel_requested',
               jsonb_build_object('by', coalesce($3::uuid::text, ''), 'scope', $4::text) from upd
        union all
        select id, org_id, attempt, 'finished', jsonb_build_object('status', 'cancelled') from upd
        where status = 'cancelled'
      )
      select status from upd""";

  /**
   * Request history of an org, newest request first, filtered (each filter null = any), keyset-paginated on the
   * request: each request with its execution (several requests may share one).
   */
  static final String LIST = """
      select r.id, r.org_id, r.query_id, r.query_version, r.datasource_id, left(r.sql, 300) as sql, r.params,
             r.bind_values, r.options, r.trigger, r.requested_by, r.priority, r.status, r.attempt, r.max_attempts,
             r.runner_id, r.backend_pid, r.cancel_requested_at, r.created_at, r.started_at, r.finished_at, r.queue_ms,
             r.exec_ms, r.persist_ms, r.row_count, r.byte_count, r.truncated, r.truncated_reason, r.error_code,
             r.error_message, r.error_position, r.result_id, r.cancel_requested_by,
             cu.email as cancelled_by_email, cu.display_name as cancelled_by_name,
      """ + REQUEST_SELECT + """

      from run_requests rq
      join runs r on r.id = rq.run_id
      left join users cu on cu.id = r.cancel_requested_by
      """ + REQUEST_JOINS + """

      where rq.org_id = $1
        and ($2::uuid is null or rq.query_id = $2)
        and ($3::uuid is null or r.datasource_id = $3)
        and ($4::text[] is null or r.status = any($4))
        and ($5::text is null or rq.trigger = $5)
        and ($6::uuid is null or rq.requested_by = $6)
        and ($7::timestamptz is null or rq.created_at >= $7)
        and ($8::timestamptz is null or rq.created_at < $8)
        and ($9::timestamptz is null or (rq.created_at, rq.id) < ($9, $10::uuid))
        and ($12::uuid is null or rq.schedule_id = $12)
      order by rq.created_at desc, rq.id desc
      limit $11""";

  static final String EVENTS = """
      select id, attempt, at, kind, detail from run_events where run_id = $1 and org_id = $2 order by id""";
}
