package io.sightline.shared.schedules;

/** The SQL of firing schedules and resolving their targets; every statement names the schedule's org. */
final class ScheduleSql {
  private ScheduleSql() {}

  /** A query target ($1) of org $2 with its datasource's state and the org's time zone (one row: the org's). */
  static final String QUERY_TARGET = """
      select q.id, q.name, q.sql, q.params, q.version, q.datasource_id, q.run_options, q.archived_at,
             d.id is not null and d.archived_at is null as datasource_usable, o.timezone
        from orgs o
        left join queries q on q.id = $1 and q.org_id = o.id
        left join datasources d on d.id = q.datasource_id and d.org_id = q.org_id
       where o.id = $2""";

  /** A dashboard target ($1) of org $2 and the org's time zone. */
  static final String DASHBOARD_TARGET = """
      select d.id, d.name, d.params, d.archived_at, o.timezone
        from orgs o left join dashboards d on d.id = $1 and d.org_id = o.id
       where o.id = $2""";

  /** The viz tiles of dashboard $1 (org $2) in saved order, each with its visualization's query. */
  static final String DASHBOARD_TILES = """
      select t.id, t.bindings, q.id as query_id, q.name as query_name, q.sql, q.params, q.version, q.datasource_id,
             q.run_options
        from tiles t
        left join visualizations v on v.id = t.visualization_id and v.org_id = t.org_id
        left join queries q on q.id = v.query_id and q.org_id = v.org_id
       where t.dashboard_id = $1 and t.org_id = $2 and t.kind = 'viz'
       order by t.ordinal, t.id""";

  /** Records one firing ($1 schedule, $2 org, $3 slot, $4 outcome, $5 manual, $6 runs, $7 error, $8 slots, $9 at). */
  static final String INSERT_FIRING = """
      insert into schedule_firings (schedule_id, org_id, slot_at, outcome, manual, run_ids, error, slots, fired_at)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9)""";

  /** A firing enqueued ($3 at, $4 the first run, $5 a tile's error or null). */
  static final String FIRED = """
      update schedules set last_fired_at = $3, last_run_id = $4, broken_reason = null,
             last_error = coalesce($5, last_error)
       where id = $1 and org_id = $2""";

  /** A firing that could not enqueue: broken with the reason, one more failure, backing off until $4. */
  static final String FAILED_TO_ENQUEUE = """
      update schedules set last_fired_at = $3, broken_reason = $5, last_error = $5,
             consecutive_failures = consecutive_failures + 1, backoff_until = $4
       where id = $1 and org_id = $2""";

  /** Whether a run of schedule $1 is still live (queued or running). */
  static final String LIVE_RUN = """
      select exists (select 1 from schedule_firings f join runs r on r.id = any(f.run_ids)
                      where f.schedule_id = $1 and f.settled_at is null and cardinality(f.run_ids) > 0
                        and r.status in ('queued', 'running')) as live""";
}
