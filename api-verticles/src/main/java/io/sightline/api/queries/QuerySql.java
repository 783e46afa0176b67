package io.sightline.api.queries;

/** The SQL of saved queries and their versions; every statement is scoped to the caller's org. */
final class QuerySql {
  private QuerySql() {}

  private static final String COLUMNS = """
      q.id, q.org_id, q.datasource_id, q.name, q.description, q.sql, q.params, q.run_options, q.version,
      q.created_at, q.updated_at, q.archived_at, cu.email as created_by_email, uu.email as updated_by_email""";

  static final String LIST = "select " + COLUMNS + """
       from queries q left join users cu on cu.id = q.created_by left join users uu on uu.id = q.updated_by
      where q.org_id = $1 and q.archived_at is null
        and ($2::text is null or q.name ilike '%' || $2 || '%' or q.description ilike '%' || $2 || '%')
        and ($3::uuid is null or q.datasource_id = $3)
        and ($4::timestamptz is null or (q.updated_at, q.id) < ($4, $5::uuid))
      order by q.updated_at desc, q.id desc
      limit $6""";

  static final String GET = "select " + COLUMNS + """
       from queries q left join users cu on cu.id = q.created_by left join users uu on uu.id = q.updated_by
      where q.id = $1 and q.org_id = $2 and q.archived_at is null""";

  static final String DATASOURCE_USABLE = """
      select 1 from datasources where id = $1 and org_id = $2 and archived_at is null for key share""";

  static final String INSERT = """
      insert into queries (id, org_id, datasource_id, name, description, sql, params, run_options, version,
                           created_by, updated_by)
      values ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)""";

  static final String INSERT_VERSION = """
      insert into query_versions (query_id, version, org_id, name, sql, params, run_options, saved_by)
      select id, version, org_id, name, sql, params, run_options, updated_by from queries where id = $1""";

  static final String LOCK = """
      select q.version, q.updated_at, uu.email as updated_by_email from queries q
      left join users uu on uu.id = q.updated_by
      where q.id = $1 and q.org_id = $2 and q.archived_at is null for update of q""";

  static final String UPDATE = """
      update queries set datasource_id = $3, name = $4, description = $5, sql = $6, params = $7, run_options = $8,
             version = version + 1, updated_by = $9, updated_at = now()
      where id = $1 and org_id = $2 and archived_at is null""";

  static final String VERSIONS = """
      select v.version, v.name, v.saved_at, u.email as saved_by_email from query_versions v
      left join users u on u.id = v.saved_by
      where v.query_id = $1 and v.org_id = $2 order by v.version desc""";

  static final String VERSION = """
      select v.version, v.name, v.sql, v.params, v.run_options, v.saved_at, u.email as saved_by_email
      from query_versions v left join users u on u.id = v.saved_by
      join queries q on q.id = v.query_id and q.archived_at is null
      where v.query_id = $1 and v.org_id = $2 and v.version = $3""";

  /** Whether anything refers to the query (then it is archived, never deleted). */
  static final String REFERENCED = """
      select exists (select 1 from runs where query_id = $1)
          or exists (select 1 from run_requests where query_id = $1)
          or exists (select 1 from visualizations where query_id = $1)
          or exists (select 1 from schedules where query_id = $1) as referenced""";

  static final String ARCHIVE = """
      update queries set archived_at = now(), updated_at = now() where id = $1 and org_id = $2 and archived_at is null""";

  static final String DELETE = "delete from queries where id = $1 and org_id = $2 and archived_at is null";

  /** The latest successful run of a query whose result is still stored. */
  /** The latest stored result of a run this query requested (its own, or an identical one it shared). */
  static final String LATEST_RESULT = """
      select r.id, r.result_id, r.finished_at from runs r
      join results res on res.id = r.result_id and (res.pinned or res.expires_at > now())
      where r.org_id = $2 and r.status = 'succeeded'
        and r.id in (select id from runs where org_id = $2 and query_id = $1
                     union select run_id from run_requests where org_id = $2 and query_id = $1)
      order by r.finished_at desc limit 1""";

  static final String ORG_TIMEZONE = "select timezone from orgs where id = $1";
}
