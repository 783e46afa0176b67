package io.sightline.api.visualizations;

/**
 * The SQL of visualizations; every statement is scoped to the caller's org. Visualizations are deleted, never archived
 * (archived_at stays null): only dashboard tiles refer to one, and a visualization a tile uses is not deleted.
 */
final class VisualizationSql {
  private VisualizationSql() {}

  private static final String SELECT = """
      select v.id, v.query_id, v.name, v.kind, v.config, v.version, v.created_at, v.updated_at,
             cu.email as created_by_email, uu.email as updated_by_email
        from visualizations v left join users cu on cu.id = v.created_by left join users uu on uu.id = v.updated_by
      """;

  /** The query's visualizations, oldest first. */
  static final String LIST = SELECT + """
       where v.query_id = $1 and v.org_id = $2 and v.archived_at is null
       order by v.created_at, v.id""";

  static final String GET = SELECT + " where v.id = $1 and v.org_id = $2 and v.archived_at is null";

  /** A query that can take a new visualization (not archived); locked against a concurrent delete. */
  static final String QUERY_LIVE = """
      select 1 from queries where id = $1 and org_id = $2 and archived_at is null for key share""";

  /** Whether the query exists in the org and is not archived (listing an archived query's visualizations is a 404). */
  static final String QUERY_VISIBLE = "select 1 from queries where id = $1 and org_id = $2 and archived_at is null";

  static final String INSERT = """
      insert into visualizations (id, org_id, query_id, name, kind, config, version, created_by, updated_by)
      values ($1, $2, $3, $4, $5, $6, 1, $7, $7)""";

  /** The current version and who saved it, locked until the save or delete commits. */
  static final String LOCK = """
      select v.version, v.updated_at, uu.email as updated_by_email from visualizations v
        left join users uu on uu.id = v.updated_by
       where v.id = $1 and v.org_id = $2 and v.archived_at is null for update of v""";

  static final String UPDATE = """
      update visualizations set name = $3, kind = $4, config = $5, version = version + 1, updated_by = $6,
             updated_at = now()
       where id = $1 and org_id = $2""";

  /** The dashboards whose tiles show the visualization (archived ones too: their tiles still refer to it). */
  static final String DASHBOARDS_USING = """
      select d.id, d.name, d.archived_at is not null as archived, count(*) over () as total from dashboards d
       where d.org_id = $2 and exists (select 1 from tiles t where t.org_id = $2 and t.dashboard_id = d.id
                                        and t.visualization_id = $1)
       order by d.archived_at nulls first, d.name, d.id limit $3""";

  static final String DELETE = "delete from visualizations where id = $1 and org_id = $2";
}
