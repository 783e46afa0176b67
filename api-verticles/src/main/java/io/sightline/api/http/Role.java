package io.sightline.api.http;

import java.util.Locale;

/** A member's coarse role in an org (DESIGN.md §9). Each role can do everything the ones before it can. */
public enum Role {
  /** Views dashboards and results, runs saved queries with parameters; no ad-hoc SQL. */
  VIEWER,
  /** Also writes queries, visualizations, dashboards, schedules and ad-hoc SQL. */
  EDITOR,
  /** Also manages users, API keys and datasources. */
  ADMIN;

  public boolean atLeast(Role required) {
    return ordinal() >= required.ordinal();
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromWire(String value) {
    return Role.valueOf(value.toUpperCase(Locale.ROOT));
  }
}
