package io.sightline.api.schedules;

import io.sightline.shared.schedules.ScheduleStates;

/** The SQL of the schedules API; every statement is scoped to the caller's org ($2 or $1). */
final class ScheduleSql {
  private ScheduleSql() {}

  /** ok | failing | broken | paused | ended, as the list filters and the API shows it. */
  private static final String STATE = ScheduleStates.SQL;

  private static final String COLUMNS = """
      s.id, s.org_id, s.name, s.query_id, s.dashboard_id, s.params, s.kind, s.every_seconds, s.cron, s.timezone,
      s.starts_at, s.ends_at, s.ended_at, s.enabled, s.next_run_at, s.last_fired_at, s.last_run_id,
      s.consecutive_failures, s.last_error, s.broken_reason, s.backoff_until, s.version, s.created_at, s.updated_at,
      cu.email as created_by_email, uu.email as updated_by_email, q.name as query_name, d.name as dashboard_name,
      """ + STATE + " as state";

  private static final String FROM = """
       from schedules s
       left join users cu on cu.id = s.created_by
       left join users uu on uu.id = s.updated_by
       left join queries q on q.id = s.query_id
       left join dashboards d on d.id = s.dashboard_id
      """;

  static final String GET = "select " + COLUMNS + FROM + " where s.id = $1 and s.org_id = $2";

  /** Org $1's schedules: of query $2, of dashboard $3, in state $4; most recently changed first, keyset. */
  static final String LIST = "select " + COLUMNS + FROM + """
       where s.org_id = $1
        and ($2::uuid is null or s.query_id = $2)
        and ($3::uuid is null or s.dashboard_id = $3)
        and ($4::text is null or (""" + STATE + """
      ) = $4)
        and ($5::timestamptz is null or (s.updated_at, s.id) < ($5, $6::uuid))
      order by s.updated_at desc, s.id desc
      limit $7""";

  static final String ORG_TIMEZONE = "select timezone from orgs where id = $1";

  static final String INSERT = """
      insert into schedules (id, org_id, name, query_id, dashboard_id, params, kind, every_seconds, cron, timezone,
                             starts_at, ends_at, enabled, next_run_at, created_by, updated_by)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)""";

  /** The schedule locked for a save, pause, resume, delete or run-now. */
  static final String LOCK = """
      select s.version, s.enabled, s.ended_at, s.updated_at, uu.email as updated_by_email, s.kind, s.every_seconds,
             s.cron, s.timezone, s.starts_at, s.ends_at
        from schedules s left join users uu on uu.id = s.updated_by
       where s.id = $1 and s.org_id = $2 for update of s""";

  /** A save: everything new, validated; a schedule whose window had ended runs again. */
  static final String UPDATE = """
      update schedules set name = $3, query_id = $4, dashboard_id = $5, params = $6, kind = $7, every_seconds = $8,
             cron = $9, timezone = $10, starts_at = $11, ends_at = $12, next_run_at = $13,
             enabled = enabled or ended_at is not null, ended_at = null, broken_reason = null, backoff_until = null,
             version = version + 1, updated_by = $14, updated_at = now()
       where id = $1 and org_id = $2""";

  static final String PAUSE = """
      update schedules set enabled = false, updated_by = $3, updated_at = now() where id = $1 and org_id = $2""";

  static final String RESUME = """
      update schedules set enabled = true, next_run_at = $3, updated_by = $4, updated_at = now()
       where id = $1 and org_id = $2""";

  /** Deletes a schedule, answering its name and what it refreshed (for the audit log). */
  static final String DELETE = """
      delete from schedules s where s.id = $1 and s.org_id = $2
      returning s.name, case when s.query_id is null then 'dashboard' else 'query' end as target_kind,
          coalesce(s.query_id, s.dashboard_id) as target_id""";

  /** The schedule's columns as firing reads them, for a run-now. */
  static final String FIRING_ROW = "select " + io.sightline.shared.schedules.ScheduleRow.COLUMNS
      + " from schedules s where s.id = $1 and s.org_id = $2";

  /** Firings of schedule $1 (org $2), newest slot first, keyset on (slot_at, id); with their runs. */
  static final String FIRINGS = """
      select f.id, f.slot_at, f.fired_at, f.outcome, f.manual, f.slots, f.run_ids, f.error, f.run_status,
             f.settled_at,
             coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'status', r.status, 'rowCount', r.row_count,
                                        'execMs', r.exec_ms, 'errorCode', r.error_code) order by r.created_at)
                         from runs r where r.id = any(f.run_ids) and r.org_id = f.org_id), '[]') as runs
        from schedule_firings f
       where f.schedule_id = $1 and f.org_id = $2
         and ($3::timestamptz is null or (f.slot_at, f.id) < ($3, $4::bigint))
       order by f.slot_at desc, f.id desc
       limit $5""";
}
