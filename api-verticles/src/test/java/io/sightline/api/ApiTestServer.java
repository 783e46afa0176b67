package io.sightline.api;

import io.sightline.api.auth.Passwords;
import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import java.util.Map;

/**
 * An api node (no runner) over a test database, seeded with two orgs: A (Trading ops) with an admin, an editor and a
 * viewer, and B (Outages) with its own admin. Everyone's password is {@link #PASSWORD}.
 */
public final class ApiTestServer implements AutoCloseable {
  public static final String PASSWORD = "correct horse battery staple";
  public static final String ADMIN_A = "admin@a.test";
  public static final String EDITOR_A = "editor@a.test";
  public static final String VIEWER_A = "viewer@a.test";
  public static final String ADMIN_B = "admin@b.test";
  public static final String ORG_A = "aaaaaaaa-0000-0000-0000-00000000000a";
  public static final String ORG_B = "bbbbbbbb-0000-0000-0000-00000000000b";

  public final Node node;
  public final String base;
  public final TestDatabase db;

  private ApiTestServer(Node node, TestDatabase db) {
    this.node = node;
    this.db = db;
    this.base = "http://127.0.0.1:" + node.config().http().port();
  }

  public static ApiTestServer start(TestDatabase db) {
    return start(db, Map.of());
  }

  public static ApiTestServer start(TestDatabase db, Map<String, String> overrides) {
    Node node = Node.start(TestConfigs.config(db, overrides), NodeRole.API, false);
    try {
      seed(db);
      ApiMain.deploy(node);
      return new ApiTestServer(node, db);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private static void seed(TestDatabase db) {
    if (!db.query("select 1 from users limit 1").isEmpty()) {
      return;
    }
    String hash = Passwords.hashNow(PASSWORD).replace("'", "''");
    db.execute("insert into orgs (id, name, slug) values ('" + ORG_A + "', 'Trading ops', 'trading-ops'), ('" + ORG_B
        + "', 'Outages', 'outages')");
    for (String[] u : new String[][] {
        {ADMIN_A, ORG_A, "admin"}, {EDITOR_A, ORG_A, "editor"}, {VIEWER_A, ORG_A, "viewer"}, {ADMIN_B, ORG_B, "admin"}}) {
      db.execute("with u as (insert into users (email, display_name, password_hash) values ('" + u[0] + "', '"
          + u[0] + "', '" + hash + "') returning id) insert into memberships (user_id, org_id, role) select id, '"
          + u[1] + "', '" + u[2] + "' from u");
    }
  }

  public ApiClient anonymous() {
    return new ApiClient(base);
  }

  public ApiClient as(String email) {
    return new ApiClient(base).login(email, PASSWORD);
  }

  public String userId(String email) {
    return db.scalar("select id::text from users where email = '" + email + "'").toString();
  }

  /**
   * A digest of everything requests can write (users, memberships, keys, sessions, datasources, queries, runs,
   * results, visualizations, dashboards, schedules): equal before and after a request means it changed nothing.
   * A session's last_seen_at is bookkeeping of any request, not a change the request made, and is left out.
   */
  public String digest() {
    return String.valueOf(db.scalar("""
        select md5(string_agg(row_text, '|' order by row_text)) from (
          select 'u' || u::text as row_text from users u
          union all select 'm' || m::text from memberships m
          union all select 'k' || k::text from api_keys k
          union all select 'd' || d::text from datasources d
          union all select 's' || (s.id, s.user_id, s.org_id, s.expires_at, s.revoked_at)::text from sessions s
          union all select 'c' || c::text from datasource_schema_cache c
          union all select 'r' || r::text from runs r
          union all select 'e' || e::text from run_events e
          union all select 'x' || x::text from results x
          union all select 'q' || q::text from queries q
          union all select 'v' || v::text from query_versions v
          union all select 'z' || z::text from visualizations z
          union all select 'b' || b::text from dashboards b
          union all select 't' || t::text from tiles t
          union all select 'w' || w::text from dashboard_versions w
          union all select 'p' || p::text from schedules p
          union all select 'f' || f::text from schedule_firings f
        ) t"""));
  }

  @Override
  public void close() {
    node.close();
  }
}
