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
   * On the first start of a fresh home ({@code firstStart}: this start created the first admin) and unless the demo is
   * off, installs it in the background; answers at once.
   */
  public static void installOnFirstStart(Node node, EmbeddedDatabase postgres, SightlineConfig config,
      boolean firstStart) {
    if (!firstStart) {
      return;
    }
    if (!config.demo().enabled()) {
      LOG.info("demo: not installed (SIGHTLINE_DEMO=false)");
      return;
    }
    if (postgres == null) {
      LOG.info("demo: not installed (it needs the embedded Postgres; SIGHTLINE_DATABASE_URL is set)");
      return;
    }
    // while it works, GET /api/v1/demo says so (the home page shows that the demo is on its way)
    MessageConsumer<JsonObject> progress = node.vertx().eventBus().localConsumer(DemoResource.PROGRESS,
        msg -> msg.reply(new JsonObject().put("installing", true)));
    DemoInstaller installer = new DemoInstaller(node, postgres, config);
    Thread thread = new Thread(() -> {
      try {
        installer.install();
      } finally {
        progress.unregister();
      }
    }, "sightline-demo-installer");
    thread.setDaemon(true);
    thread.start();
  }

  private void install() {
    long started = System.nanoTime();
    Pool pool = node.pool();
    Map<String, UUID> created = new HashMap<>();
    UUID org = null;
    boolean databaseMade = false;
    try {
      if (await(DemoInstalls.anyInstall(pool))) {
        return;
      }
      Row admin = await(pool.query("select org_id, user_id from memberships where role = 'admin' and disabled_at is"
          + " null order by created_at limit 1").execute()).iterator().next();
      org = admin.getUUID("org_id");
      Instant anchor = Instant.now();
      databaseMade = true;
      DemoDatabase.Login login = DemoDatabase.create(postgres, DemoDatabase.SEED, anchor, scale());
      String key = ApiKeys.generate();
      UUID keyId = await(pool.preparedQuery("insert into api_keys (org_id, user_id, name, key_prefix, key_hash)"
              + " values ($1, $2, 'demo installer (removed when done)', $3, $4) returning id")
          .execute(Tuple.of(org, admin.getUUID("user_id"), ApiKeys.displayPrefix(key),
              Buffer.buffer(ApiKeys.hash(key))))).iterator().next().getUUID("id");
      try {
        for (Object s : content().getJsonArray("steps")) {
          JsonObject step = (JsonObject) s;
          String ref = step.getString("key");
          JsonObject body = (JsonObject) resolve(step.getJsonObject("body"), created);
          if (ref.startsWith("datasource:")) {
            body.put("host", login.host()).put("port", login.port()).put("database", login.database())
                .put("user", login.user()).put("password", login.password());
          }
          JsonObject answer = call("POST", (String) resolve(step.getString("path"), created), body, key);
          UUID id = UUID.fromString(answer.getString("id"));
          created.put(ref, id);
          if (step.getBoolean("run", false)) {
            runToCompletion(id, key);
          }
        }
      } finally {
        await(pool.preparedQuery("delete from api_keys where id = $1").execute(Tuple.of(keyId)));
      }
      await(DemoInstalls.record(pool, org, objects(created), login.database(), DemoDatabase.SEED, anchor));
      LOG.info("demo: installed the ohub and Trad dashboards on the Demo datasource ({} objects, {} ms)",
          created.size(), (System.nanoTime() - started) / 1_000_000);
    } catch (Exception e) {
      undo(org, created, databaseMade);
      LOG.error("demo: not installed ({}); Sightline works without it", e.getMessage());
    }
  }

  /** Removes what a failed install made (metadata, then the database); a failure here is only logged. */
  private void undo(UUID org, Map<String, UUID> created, boolean databaseMade) {
    try {
      if (org != null && !created.isEmpty()) {
        UUID o = org;
        await(node.pool().withTransaction(conn -> DemoInstalls.remove(conn, o, objects(created))));
      }
      if (databaseMade) {
        DemoDatabase.drop(postgres);
      }
    } catch (Exception e) {
      LOG.warn("demo: could not undo a failed install completely: {}", e.getMessage());
    }
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
