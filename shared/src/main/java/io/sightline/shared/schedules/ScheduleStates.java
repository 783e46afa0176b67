package io.sightline.shared.schedules;

import java.util.List;

/**
 * The state a schedule is in, as the API shows and filters it and as the {@code sightline_schedules} gauge counts it:
 * {@code broken} (a reason is set), {@code ended} (its window is over), {@code paused}, {@code failing} (its last
 * firing's runs failed) or {@code ok}.
 */
public final class ScheduleStates {
  private ScheduleStates() {}

  public static final List<String> ALL = List.of("ok", "failing", "broken", "paused", "ended");

  /** The state of schedule {@code s} as an SQL expression. */
  public static final String SQL = """
      case when s.broken_reason is not null then 'broken' when s.ended_at is not null then 'ended'
           when not s.enabled then 'paused' when s.consecutive_failures > 0 then 'failing' else 'ok' end""";

  /** How many schedules are in each state, across every org (rows: state, n). */
  public static final String COUNTS = "select " + SQL + " as state, count(*) as n from schedules s group by 1";
}
