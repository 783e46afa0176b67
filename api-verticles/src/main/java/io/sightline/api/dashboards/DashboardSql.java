package io.sightline.api.dashboards;

/**
 * The SQL of dashboards, their tiles, versions and views; every statement is scoped to the caller's org. A dashboard
 * is found by id ($2, a uuid or null) or slug ($3, text or null) among the org's live (not archived) ones.
 */
final class DashboardSql {
  private DashboardSql() {}

  private static final String COLUMNS = """
      d.id, d.slug, d.name, d.description, d.params, d.refresh_seconds, d.tags, d.version, d.created_by,
      d.created_at, d.updated_at, cu.email as created_by_email, uu.email as updated_by_email""";

  private static final String FROM = """
       from dashboards d left join users cu on cu.id = d.created_by left join users uu on uu.id = d.updated_by
      """;

  private static final String BY_ID_OR_SLUG = """
       where d.org_id = $1 and d.archived_at is null and (d.id = $2::uuid or d.slug = $3::text)""";

  /** One dashboard, with the org's time zone and the caller's ($4) last view before this one. */
  static final String GET = "select " + COLUMNS + ", o.timezone, dv.viewed_at" + FROM + """
       join orgs o on o.id = d.org_id
       left join dashboard_views dv on dv.dashboard_id = d.id and dv.user_id = $4 and dv.org_id = $1
     """ + BY_ID_OR_SLUG;

  /** The current version, slug and who saved it, locked until the save or delete commits. */
  static final String LOCK = """
      select d.id, d.name, d.slug, d.version, d.updated_at, uu.email as updated_by_email from dashboards d
        left join users uu on uu.id = d.updated_by
     """ + BY_ID_OR_SLUG + " for update of d";

  /**
   * The tiles of dashboard $1 in saved order, each viz tile with its visualization and that visualization's query
   * (archived queries too, marked: such a tile is shown, but no longer runs).
   */
  static final String TILES = """
      select t.id, t.kind, t.visualization_id, t.title, t.text, t.x, t.y, t.w, t.h, t.bindings, t.click_action,
             v.name as viz_name, v.kind as viz_kind, v.config as viz_config, v.version as viz_version, v.query_id,
             q.name as query_name, q.params as query_params, q.sql as query_sql, q.datasource_id,
             q.version as query_version, q.run_options, q.archived_at is not null as query_archived
        from tiles t
        left join visualizations v on v.id = t.visualization_id and v.org_id = t.org_id
        left join queries q on q.id = v.query_id and q.org_id = v.org_id
       where t.dashboard_id = $1 and t.org_id = $2
       order by t.ordinal, t.id""";

  /** The stored result of each run among $1 (an array) of org $2: runs an enqueue answered as reused. */
  static final String RESULTS_OF_RUNS = "select id, result_id from runs where id = any($1) and org_id = $2";

  static final String TILE_IDS = "select id from tiles where dashboard_id = $1 and org_id = $2";

  /**
   * The org's visualizations among $2 (an array) with their queries' parameter declarations; key-share locked, so a
   * concurrent delete of one waits and then sees the new tile.
   */
  static final String VISUALIZATIONS = """
      select v.id, v.query_id, q.params from visualizations v
        join queries q on q.id = v.query_id and q.org_id = v.org_id
       where v.org_id = $1 and v.id = any($2) and v.archived_at is null
         for key share of v""";

  /**
   * Serialises the saves of org $1 choosing a slug from base $2 until their transactions end (two-key advisory lock:
   * its space does not overlap the one-key locks elsewhere; the first key is "DSLG").
   */
  static final String LOCK_SLUG = """
      select pg_advisory_xact_lock(1146309703, hashtext($1::uuid::text || '/' || $2::text))""";

  /** The live slugs of org $1 that are $2 or $2 followed by a hyphen, other than dashboard $3's. */
  static final String SLUGS_LIKE = """
      select slug from dashboards
       where org_id = $1 and archived_at is null and (slug = $2 or slug like $2 || '-%')
         and ($3::uuid is null or id <> $3)""";

  static final String INSERT = """
      insert into dashboards (id, org_id, name, slug, description, params, refresh_seconds, tags, version, created_by,
                              updated_by)
      values ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)""";

  static final String UPDATE = """
      update dashboards set name = $3, slug = $4, description = $5, params = $6, refresh_seconds = $7, tags = $8,
             version = version + 1, updated_by = $9, updated_at = now()
       where id = $1 and org_id = $2 and archived_at is null""";

  static final String DELETE_TILES = "delete from tiles where dashboard_id = $1 and org_id = $2";

  /** The tiles of a save ($3: the JSON array {@link DashboardForm#tilesJson} gives), in their order. */
  static final String INSERT_TILES = """
      insert into tiles (id, org_id, dashboard_id, kind, visualization_id, title, text, x, y, w, h, bindings,
                         click_action, ordinal)
      select (t ->> 'id')::uuid, $2, $1, t ->> 'kind', (t ->> 'visualizationId')::uuid, t ->> 'title', t ->> 'text',
             (t ->> 'x')::int, (t ->> 'y')::int, (t ->> 'w')::int, (t ->> 'h')::int,
             coalesce(t -> 'bindings', '{}'), nullif(t -> 'clickAction', 'null'::jsonb), (n - 1)::int
        from jsonb_array_elements($3::jsonb) with ordinality as e(t, n)""";

  /** The dashboard as just saved, with its tiles ($3), as its newest version. */
  static final String INSERT_VERSION = """
      insert into dashboard_versions (dashboard_id, version, org_id, name, slug, description, params, refresh_seconds,
                                      tags, tiles, saved_by, saved_at)
      select id, version, org_id, name, slug, description, params, refresh_seconds, tags, $3, updated_by, updated_at
        from dashboards where id = $1 and org_id = $2""";

  static final String VERSIONS = """
      select v.version, v.name, v.saved_at, u.email as saved_by_email, jsonb_array_length(v.tiles) as tile_count
        from dashboard_versions v left join users u on u.id = v.saved_by
       where v.dashboard_id = $1 and v.org_id = $2
       order by v.version desc""";

  static final String VERSION = """
      select v.version, v.name, v.slug, v.description, v.params, v.refresh_seconds, v.tags, v.tiles, v.saved_at,
             u.email as saved_by_email
        from dashboard_versions v left join users u on u.id = v.saved_by
       where v.dashboard_id = $1 and v.org_id = $2 and v.version = $3""";

  /** Whether runs, run requests or schedules refer to the dashboard (then it is archived, never deleted). */
  static final String REFERENCED = """
      select exists (select 1 from runs where dashboard_id = $1 and org_id = $2)
          or exists (select 1 from run_requests where dashboard_id = $1 and org_id = $2)
          or exists (select 1 from schedules where dashboard_id = $1 and org_id = $2) as referenced""";

  static final String ARCHIVE = """
      update dashboards set archived_at = now(), updated_at = now() where id = $1 and org_id = $2
         and archived_at is null""";

  static final String DELETE = "delete from dashboards where id = $1 and org_id = $2 and archived_at is null";

  /** Records that user $1 opened dashboard $2 of org $3 now. */
  static final String VIEWED = """
      insert into dashboard_views (user_id, dashboard_id, org_id, viewed_at) values ($1, $2, $3, now())
      on conflict (user_id, dashboard_id) do update set viewed_at = excluded.viewed_at""";

  private static final String LIST_COLUMNS = """
      select d.id, d.slug, d.name, d.description, d.tags, d.version, d.created_by, d.created_at, d.updated_at,
             cu.email as created_by_email, uu.email as updated_by_email, dv.viewed_at,
             (select count(*) from tiles t where t.dashboard_id = d.id and t.org_id = d.org_id)::int as tile_count
      """;

  private static final String LIST_FILTERS = """
       left join dashboard_views dv on dv.dashboard_id = d.id and dv.user_id = $2 and dv.org_id = $1
      where d.org_id = $1 and d.archived_at is null
        and ($3::text is null or d.name ilike '%' || $3 || '%' or d.description ilike '%' || $3 || '%')
        and ($4::text is null or d.tags @> array[$4::text])
        and ($5::uuid is null or d.created_by = $5)
      """;

  /** Live dashboards of org $1 for caller $2: search $3, tag $4, owner $5; most recently changed first, keyset. */
  static final String LIST = LIST_COLUMNS + FROM + LIST_FILTERS + """
        and ($6::timestamptz is null or (d.updated_at, d.id) < ($6, $7::uuid))
      order by d.updated_at desc, d.id desc
      limit $8""";

  /** As {@link #LIST}, only dashboards the caller opened, most recently viewed first. */
  static final String LIST_RECENT = LIST_COLUMNS + FROM + LIST_FILTERS + """
        and dv.viewed_at is not null
        and ($6::timestamptz is null or (dv.viewed_at, d.id) < ($6, $7::uuid))
      order by dv.viewed_at desc, d.id desc
      limit $8""";
}
