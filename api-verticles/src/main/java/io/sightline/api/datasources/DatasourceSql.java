package io.sightline.api.datasources;

import io.sightline.shared.datasource.DatasourceRecords;

/** The SQL of datasource management; every statement is scoped to the caller's org and skips archived rows. */
final class DatasourceSql {
  private DatasourceSql() {}

  static final String LIST = "select " + DatasourceRecords.COLUMNS
      + " from datasources where org_id = $1 and archived_at is null order by lower(name), id";

  static final String GET = DatasourceRecords.BY_ID;

  static final String INSERT = """
      insert into datasources (id, org_id, name, kind, options, secret_ciphertext, secret_key_id, max_concurrency,
        default_timeout_ms, max_timeout_ms, default_max_rows, max_rows_limit, default_max_bytes, max_bytes_limit,
        read_only)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
      """ + "returning " + DatasourceRecords.COLUMNS;

  static final String UPDATE = """
      update datasources set name = $3, options = $4, secret_ciphertext = $5, secret_key_id = $6,
        max_concurrency = $7, default_timeout_ms = $8, max_timeout_ms = $9, default_max_rows = $10,
        max_rows_limit = $11, default_max_bytes = $12, max_bytes_limit = $13, read_only = $14, updated_at = now()
      where id = $1 and org_id = $2 and archived_at is null
      """ + "returning " + DatasourceRecords.COLUMNS;

  static final String LOCK = "select " + DatasourceRecords.COLUMNS
      + " from datasources where id = $1 and org_id = $2 and archived_at is null for update";

  /**
   * The live queries that use a datasource, first by name, with their total count. Run after {@link #LOCK}: a query
   * being saved onto the datasource holds a key-share lock on it (QuerySql.DATASOURCE_USABLE), so it is either counted
   * here or refused once the datasource is archived.
   */
  static final String QUERIES_USING = """
      select id, name, count(*) over () as total from queries
      where datasource_id = $1 and org_id = $2 and archived_at is null
      order by lower(name), id limit $3""";

  static final String ARCHIVE = """
      update datasources set archived_at = now(), updated_at = now()
      where id = $1 and org_id = $2 and archived_at is null""";

  static final String CACHED_SCHEMA = """
      select c.catalog, c.refreshed_at from datasource_schema_cache c
      join datasources d on d.id = c.datasource_id and d.org_id = c.org_id and d.archived_at is null
      where c.datasource_id = $1 and c.org_id = $2""";

  static final String STORE_SCHEMA = """
      insert into datasource_schema_cache (datasource_id, org_id, catalog, refreshed_at) values ($1, $2, $3, now())
      on conflict (datasource_id) do update set catalog = excluded.catalog, refreshed_at = excluded.refreshed_at
      returning refreshed_at""";
}
