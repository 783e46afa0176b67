package io.sightline.standalone.demo;

import io.sightline.api.ApiMain;
import io.sightline.api.auth.ApiKeys;
import io.sightline.api.demo.DemoInstalls;
import io.sightline.api.demo.DemoObjects;
import io.sightline.api.demo.DemoResource;
import io.sightline.shared.boot.Node;
import io.sightline.shared.config.SightlineConfig;
import io.sightline.shared.db.EmbeddedDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the demo on the first start of a fresh standalone home, after the ready line, on a thread of its own: the
 * demo database ({@link DemoDatabase}), then its metadata ({@code demo/content.json}) created through this process's
 * own public API with a short-lived API key of the first admin — so every object passes exactly the checks a user's
 * would (parameters, bindings, visualization configs, schedules) — and finally the record in {@code demo_installs}
 * that makes it happen once per home. A failure removes whatever was made, logs one line and leaves the server as it
 * was. Also serves the {@link DemoResource#DROP_DATABASE} hook that drops the database when an admin removes the demo.
 */
public final class DemoInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(DemoInstaller.class);
  private static final Pattern REF = Pattern.compile("\\$ref:([a-z]+:[a-z0-9-]+)");
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
  private static final long DB_TIMEOUT_S = 30;
  /** The metadata kind of each prefix of content.json's keys. */
  private static final Map<String, String> KINDS = Map.of("datasource", "datasource", "query", "query",
      "viz", "visualization", "dashboard", "dashboard", "schedule", "schedule");

  private final Node node;
  private final EmbeddedDatabase postgres;
  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private DemoInstaller(Node node, EmbeddedDatabase postgres, SightlineConfig config) {
    this.node = node;
    this.postgres = postgres;
    this.baseUrl = ApiMain.url(config).replaceAll("/$", "");
  }

  /** Lets {@code DELETE /api/v1/demo} drop the demo database of this process's embedded Postgres. */
  public static void serveDropHook(Vertx vertx, EmbeddedDatabase postgres) {
    vertx.eventBus().<JsonObject>localConsumer(DemoResource.DROP_DATABASE, msg -> vertx.executeBlocking(() -> {
      DemoDatabase.drop(postgres);
      return null;
    }, false).onComplete(ar -> {
      if (ar.succeeded()) {
        LOG.info("demo: dropped the demo database");
        msg.reply(new JsonObject().put("dropped", true));
      } else {
        msg.fail(500, ar.cause().getMessage());
      }
    }));
  }

  /**
   * On every start over the embedded Postgres, in the background (answers at once): first finishes what an earlier
   * process left — an install killed mid-way (the database sightline_demo or its roles are there but
   * {@code demo_installs} has no row: its database, roles, API key and the metadata its {@link InstallJournal} names
   * are removed) or a removal whose database drop never happened — then installs the demo on the first start of a
   * fresh home ({@code firstStart}: this start created the first admin) or again after an unfinished install, unless
   * the demo is off ({@code SIGHTLINE_DEMO=false}, which still removes the leftovers).
   */
  public static void start(Node node, EmbeddedDatabase postgres, SightlineConfig config, boolean firstStart) {
    boolean enabled = config.demo().enabled();
    if (firstStart && !enabled) {
      LOG.info("demo: not installed (SIGHTLINE_DEMO=false)");
    }
    if (postgres == null) {
      if (firstStart && enabled) {
        LOG.info("demo: not installed (it needs the embedded Postgres; SIGHTLINE_DATABASE_URL is set)");
      }
      return;
    }
    DemoInstaller installer = new DemoInstaller(node, postgres, config);
    // on a first start GET /api/v1/demo says at once that the demo is on its way (the home page shows it)
    MessageConsumer<JsonObject> progress = firstStart && enabled ? installer.showProgress() : null;
    Thread thread = new Thread(() -> installer.run(firstStart, enabled, progress), "sightline-demo-installer");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The embedded Postgres may listen on another port than at the install (SIGHTLINE_EMBEDDED_PG_PORT=0, or the usual
   * one taken and the next free one used): the demo's datasources follow it, or every demo run would be refused.
   */
  private void followPort() throws Exception {
    int port = postgres.port();
    int moved = await(node.pool().preparedQuery("""
        update datasources d set options = jsonb_set(d.options, '{port}', to_jsonb($1::int)), updated_at = now()
        from demo_installs i
        where i.removed_at is null and d.id = any(i.datasource_ids) and d.org_id = i.org_id
          and d.archived_at is null and d.options->>'host' = '127.0.0.1'
          and coalesce((d.options->>'port')::int, -1) <> $1""").execute(Tuple.of(port))).rowCount();
    if (moved > 0) {
      LOG.info("demo: its {} datasource(s) now use the embedded Postgres's port {}", moved, port);
    }
  }

  /** While it is registered, GET /api/v1/demo answers that the demo is being installed. */
  private MessageConsumer<JsonObject> showProgress() {
    return node.vertx().eventBus().localConsumer(DemoResource.PROGRESS,
        msg -> msg.reply(new JsonObject().put("installing", true)));
  }

  private void run(boolean firstStart, boolean enabled, MessageConsumer<JsonObject> shown) {
    MessageConsumer<JsonObject> progress = shown;
    try {
      DemoInstalls.State state = await(DemoInstalls.state(node.pool()));
      if (state != DemoInstalls.State.NONE) {
        if (state == DemoInstalls.State.INSTALLED) {
          followPort();
        }
        if (state == DemoInstalls.State.REMOVED && DemoDatabase.anyLeft(postgres)) {
          DemoDatabase.drop(postgres);
          LOG.info("demo: dropped the database of the removed demo (the removal could not drop it)");
        }
        return;
      }
      boolean unfinished = DemoDatabase.anyLeft(postgres);
      if (unfinished && enabled && progress == null) {
        progress = showProgress();
      }
      if (unfinished) {
        int removed = removeUnfinished();
        LOG.info("demo: removed an unfinished install (its database and {} objects){}", removed,
            enabled ? "; installing it again" : "; not installed again (SIGHTLINE_DEMO=false)");
      }
      if (enabled && (firstStart || unfinished)) {
        install();
      }
    } catch (Exception e) {
      if (node.readiness().stopping()) {
        // the stop closed the pool under it: nothing is wrong, and an install cut short is finished at the next start
        LOG.info("demo: not done, Sightline is stopping ({})", e.getMessage());
      } else {
        LOG.error("demo: not installed ({}); Sightline works without it", e.getMessage());
      }
    } finally {
      if (progress != null) {
        progress.unregister();
      }
    }
  }

  /**
   * Removes what an install killed mid-way made, as its journal says — the metadata objects (those it asked for but
   * died before noting are found by name among the objects its org got since), its API key — then the database and
   * roles. Answers how many metadata objects went.
   */
  private int removeUnfinished() throws Exception {
    Optional<InstallJournal.Unfinished> journal = InstallJournal.read(postgres);
    int objects = 0;
    if (journal.isPresent()) {
      InstallJournal.Unfinished unfinished = journal.get();
      Map<String, UUID> made = new HashMap<>();
      for (InstallJournal.Entry entry : unfinished.entries()) {
        if (entry.id() != null) {
          made.put(entry.ref(), entry.id());
        } else {
          List<UUID> found = await(DemoInstalls.createdSince(node.pool(), unfinished.org(), KINDS.get(entry.kind()),
              entry.name(), entry.requestedAt()));
          for (int i = 0; i < found.size(); i++) {
            made.put(entry.ref() + "#" + i, found.get(i));
          }
        }
      }
      removeMetadata(unfinished.org(), made, unfinished.apiKeyId());
      objects = made.size();
    }
    DemoDatabase.drop(postgres);
    return objects;
  }

  private void install() throws Exception {
    long started = System.nanoTime();
    Pool pool = node.pool();
    Map<String, UUID> created = new HashMap<>();
    Row admin = await(pool.query("select org_id, user_id from memberships where role = 'admin' and disabled_at is"
        + " null order by created_at limit 1").execute()).iterator().next();
    UUID org = admin.getUUID("org_id");
    UUID keyId = UUID.randomUUID();
    try {
      Instant anchor = Instant.now();
      double scale = scale();
      LOG.info("demo: generating the demo database {} (seed {}, scale {})", DemoDatabase.DATABASE, DemoDatabase.SEED,
          scale);
      DemoDatabase.Login login = DemoDatabase.create(postgres, DemoDatabase.SEED, anchor, scale);
      try (InstallJournal journal = InstallJournal.begin(postgres, org, keyId)) {
        String key = ApiKeys.generate();
        await(pool.preparedQuery("insert into api_keys (id, org_id, user_id, name, key_prefix, key_hash)"
                + " values ($1, $2, $3, 'demo installer (removed when done)', $4, $5)")
            .execute(Tuple.of(keyId, org, admin.getUUID("user_id"), ApiKeys.displayPrefix(key),
                Buffer.buffer(ApiKeys.hash(key)))));
        try {
          for (Object s : content().getJsonArray("steps")) {
            JsonObject step = (JsonObject) s;
            String ref = step.getString("key");
            JsonObject body = (JsonObject) resolve(step.getJsonObject("body"), created);
            if (ref.startsWith("datasource:")) {
              body.put("host", login.host()).put("port", login.port()).put("database", login.database())
                  .put("user", login.user()).put("password", login.password());
            }
            journal.requested(ref, body.getString("name"));
            JsonObject answer = call("POST", (String) resolve(step.getString("path"), created), body, key);
            UUID id = UUID.fromString(answer.getString("id"));
            created.put(ref, id);
            journal.created(ref, id);
            if (step.getBoolean("run", false)) {
              runToCompletion(id, key);
            }
          }
        } finally {
          deleteKey(keyId);
        }
        await(DemoInstalls.record(pool, org, objects(created), login.database(), DemoDatabase.SEED, anchor));
        journal.finish();
      }
      LOG.info("demo: installed the ohub and Trad dashboards on the Demo datasource ({} objects, {} ms)",
          created.size(), (System.nanoTime() - started) / 1_000_000);
    } catch (Exception e) {
      undo(org, created, keyId);
      throw e;
    }
  }

  /** Removes what a failed install made (metadata, its key, then the database); a failure here is only logged. */
  private void undo(UUID org, Map<String, UUID> created, UUID keyId) {
    try {
      removeMetadata(org, created, keyId);
      DemoDatabase.drop(postgres);
    } catch (Exception e) {
      LOG.warn("demo: could not undo a failed install completely: {}", e.getMessage());
    }
  }

  /** Removes the metadata objects an install made in {@code org} (one transaction), then its API key. */
  private void removeMetadata(UUID org, Map<String, UUID> made, UUID keyId) throws Exception {
    if (!made.isEmpty()) {
      await(node.pool().withTransaction(conn -> DemoInstalls.remove(conn, org, objects(made))));
    }
    if (keyId != null) {
      deleteKey(keyId);
    }
  }

  private void deleteKey(UUID keyId) throws Exception {
    await(node.pool().preparedQuery("delete from api_keys where id = $1").execute(Tuple.of(keyId)));
  }

  private static DemoObjects objects(Map<String, UUID> created) {
    Map<String, List<UUID>> byKind = new HashMap<>();
    created.forEach((ref, id) -> byKind.computeIfAbsent(ref.substring(0, ref.indexOf(':')), k -> new ArrayList<>())
        .add(id));
    return new DemoObjects(byKind.getOrDefault("datasource", List.of()), byKind.getOrDefault("query", List.of()),
        byKind.getOrDefault("viz", List.of()), byKind.getOrDefault("dashboard", List.of()),
        byKind.getOrDefault("schedule", List.of()));
  }

  /** Runs a saved query with its defaults and waits until it succeeded (query_enum options need a stored result). */
  private void runToCompletion(UUID queryId, String key) throws InterruptedException {
    String runId = call("POST", "/api/v1/queries/" + queryId + "/runs", new JsonObject(), key).getString("id");
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject run = call("GET", "/api/v1/runs/" + runId, null, key);
      String status = run.getString("status");
      if ("succeeded".equals(status)) {
        return;
      }
      if (!"queued".equals(status) && !"running".equals(status)) {
        throw new IllegalStateException("the run of query " + queryId + " ended " + status + ": "
            + run.getValue("error", run.getString("errorMessage")));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the run of query " + queryId + " did not finish within " + STEP_TIMEOUT);
  }

  /** One call of this process's API with the installer's key; a non-2xx answer fails with its problem text. */
  private JsonObject call(String method, String path, JsonObject body, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(STEP_TIMEOUT)
        .header("Authorization", "Bearer " + key).header("Accept", "application/json");
    if (body != null) {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.encode(), StandardCharsets.UTF_8));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + " "
            + answer.body());
      }
      return new JsonObject(answer.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " " + path + " was interrupted", e);
    }
  }

  /** {@code value} with every {@code $ref:<kind>:<key>} replaced by the id created under that key. */
  static Object resolve(Object value, Map<String, UUID> created) {
    if (value instanceof String s) {
      Matcher m = REF.matcher(s);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        UUID id = created.get(m.group(1));
        if (id == null) {
          throw new IllegalStateException("demo/content.json refers to " + m.group(1) + " before creating it");
        }
        m.appendReplacement(out, id.toString());
      }
      return m.appendTail(out).toString();
    }
    if (value instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      o.forEach(e -> out.put(e.getKey(), resolve(e.getValue(), created)));
      return out;
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(v -> out.add(resolve(v, created)));
      return out;
    }
    return value;
  }

  /**
   * The demo database's size: the full demo (1) unless the test-only system property {@code sightline.demo.scale}
   * asks for a fraction of its rows (process and browser tests, which pay for the install in every run).
   */
  static double scale() {
    String value = System.getProperty("sightline.demo.scale", "1");
    try {
      double scale = Double.parseDouble(value);
      return scale > 0 && scale <= 1 ? scale : 1;
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  static JsonObject content() {
    try (InputStream in = DemoInstaller.class.getResourceAsStream("/demo/content.json")) {
      if (in == null) {
        throw new IllegalStateException("demo/content.json is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(DB_TIMEOUT_S, TimeUnit.SECONDS);
  }
}
