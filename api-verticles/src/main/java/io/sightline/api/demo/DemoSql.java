package io.sightline.api.demo;

/**
 * The SQL of the demo's record and removal; every statement is scoped to one org. The id arrays bind as $2..$6 in the
 * order of {@link DemoObjects#addTo}: datasources, queries, visualizations, dashboards, schedules.
 */
final class DemoSql {
  private DemoSql() {}

  static final String GET = """
      select database, seed, anchor, datasource_ids, query_ids, visualization_ids, dashboard_ids, schedule_ids,
             installed_at, removed_at from demo_installs where org_id = $1""";

  static final String LOCK = GET + " for update";

  static final String STATE = """
      select count(*) filter (where removed_at is null) as live, count(*) as ever from demo_installs""";

  /** The metadata table of each kind of object the demo makes. */
  private static final java.util.Map<String, String> TABLES = java.util.Map.of("datasource", "datasources",
      "query", "queries", "visualization", "visualizations", "dashboard", "dashboards", "schedule", "schedules");

  /**
   * The ids of the objects of {@code kind} named $2 that org $1 got at or after $3 (created_at is the creating
   * transaction's start); null for an unknown kind.
   */
  static String createdSince(String kind) {
    String table = TABLES.get(kind);
    return table == null ? null : "select id from " + table + " where org_id = $1 and name = $2 and created_at >= $3";
  }

  static final String RECORD = """
      insert into demo_installs (org_id, database, seed, anchor, datasource_ids, query_ids, visualization_ids,
                                 dashboard_ids, schedule_ids)
      values ($1, $7, $8, $9, $2, $3, $4, $5, $6)""";

  /** The demo's objects that still exist (live), by kind, with a name (and a slug for dashboards). */
  static final String CONTENTS = """
      select 'datasource' as kind, id, name, null as slug from datasources
       where org_id = $1 and id = any($2) and archived_at is null
      union all
      select 'query', id, name, null from queries where org_id = $1 and id = any($3) and archived_at is null
      union all
      select 'visualization', id, name, null from visualizations where org_id = $1 and id = any($4)
      union all
      select 'dashboard', id, name, slug from dashboards where org_id = $1 and id = any($5) and archived_at is null
      union all
      select 'schedule', id, name, null from schedules where org_id = $1 and id = any($6)""";

  /**
   * What users made on top of the demo, which removing it would break: their queries on a demo datasource, their
   * visualizations of demo queries, their dashboards (archived ones too: their tiles still hold the visualization)
   * showing demo visualizations, and their schedules of demo queries or dashboards.
   */
  static final String DEPENDENTS = """
      select 'query' as kind, id, name from queries
       where org_id = $1 and datasource_id = any($2) and not id = any($3) and archived_at is null
      union all
      select 'visualization', id, name from visualizations
       where org_id = $1 and query_id = any($3) and not id = any($4)
      union all
      select 'dashboard', d.id, d.name from dashboards d
       where d.org_id = $1 and not d.id = any($5)
         and exists (select 1 from tiles t where t.dashboard_id = d.id and t.org_id = $1 and t.visualization_id = any($4))
      union all
      select 'schedule', id, name from schedules
       where org_id = $1 and not id = any($6) and (query_id = any($3) or dashboard_id = any($5))
      order by 1, 3, 2""";

  /** One step of a removal: a statement over ($1 org, $2 the ids of one kind); {@code counted} names what it removes. */
  record Step(String counted, String sql, java.util.function.Function<DemoObjects, java.util.List<java.util.UUID>> ids) {}

  /**
   * Removal, in order, in one transaction: schedules deleted; the dashboards' tiles deleted and the dashboards archived
   * (run history keeps naming them); visualizations deleted; queries and datasources archived (run history stays
   * readable), as the API's own deletes treat referenced objects.
   */
  static final java.util.List<Step> REMOVE = java.util.List.of(
      new Step("schedules", "delete from schedules where org_id = $1 and id = any($2)", DemoObjects::schedules),
      new Step(null, "delete from tiles where org_id = $1 and dashboard_id = any($2)", DemoObjects::dashboards),
      new Step("dashboards", """
          update dashboards set archived_at = now(), updated_at = now()
           where org_id = $1 and id = any($2) and archived_at is null""", DemoObjects::dashboards),
      new Step("visualizations", "delete from visualizations where org_id = $1 and id = any($2)", DemoObjects::visualizations),
      new Step("queries", """
          update queries set archived_at = now(), updated_at = now()
           where org_id = $1 and id = any($2) and archived_at is null""", DemoObjects::queries),
      new Step("datasources", """
          update datasources set archived_at = now(), updated_at = now()
           where org_id = $1 and id = any($2) and archived_at is null""", DemoObjects::datasources));

  static final String MARK_REMOVED = """
      update demo_installs set removed_at = now(), removed_by = $2 where org_id = $1 and removed_at is null""";
}
