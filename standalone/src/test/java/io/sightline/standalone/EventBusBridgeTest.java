package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.api.ApiMain;
import io.sightline.api.auth.Passwords;
import io.sightline.runner.RunnerMain;
import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.bus.Addresses;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.Await;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SockJS event-bus bridge at {@code /eventbus}, spoken to by a real WebSocket client (the raw-WebSocket transport,
 * the bridge's JSON frames) against an in-process node with the api and a runner: who may listen to which run feeds,
 * and that nothing can be sent into the bus.
 */
@ExtendWith(PostgresExtension.class)
class EventBusBridgeTest {
  private static final String ADMIN_A = "admin@sightline.test";
  private static final String ADMIN_B = "admin-b@sightline.test";
  private static final String PASSWORD = "admin password for tests";
  private static final String ORG_B = "6b1f3c1e-5a0c-4f0e-9d56-3c0a3f3b2b10";
  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled", "timed_out");

  private static Node node;
  private static BridgeSocket.Client bridge;
  private static String base;
  private static int port;
  private static ApiClient adminA;
  private static ApiClient adminB;
  private static String orgA;
  private static String datasourceId;
  private static final AtomicInteger probes = new AtomicInteger();
  private static TestDatabase db;

  @BeforeAll
  static void start(TestDatabase database) {
    db = database;
    node = Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_ADMIN_EMAIL", ADMIN_A, "SIGHTLINE_ADMIN_PASSWORD",
        PASSWORD)), NodeRole.STANDALONE, false);
    RunnerMain.deploy(node);
    ApiMain.deploy(node);
    port = node.config().http().port();
    base = "http://127.0.0.1:" + port;
    adminA = new ApiClient(base).login(ADMIN_A, PASSWORD);
    orgA = adminA.get("/api/v1/me").json().getJsonObject("org").getString("id");
    String hash = Passwords.hashNow(PASSWORD).replace("'", "''");
    db.execute("insert into orgs (id, name, slug) values ('" + ORG_B + "', 'Outages', 'outages')");
    db.execute("with u as (insert into users (email, display_name, password_hash) values ('" + ADMIN_B + "', 'B', '"
        + hash + "') returning id) insert into memberships (user_id, org_id, role) select id, '" + ORG_B
        + "', 'admin' from u");
    adminB = new ApiClient(base).login(ADMIN_B, PASSWORD);
    datasourceId = SelfDatasource.create(adminA, db, new JsonObject().put("maxTimeoutMs", 60_000));
    bridge = new BridgeSocket.Client(port);
  }

  @AfterAll
  static void stop() {
    if (bridge != null) {
      bridge.close();
    }
    node.close();
  }

  // ---- the tests ---------------------------------------------------------------------------------------------------

  @Test
  void aMemberReceivesTheStateAndProgressEventsOfItsOrgsRunInOrder() {
    BridgeSocket a = bridge.openSockJs(sessionCookie(adminA));
    String orgFeed = Addresses.orgRuns(orgA);
    a.register(orgFeed);
    awaitLive(a, orgFeed);

    String runId = createRun("select pg_sleep(1.6) as slept, 42 as answer");
    String runFeed = Addresses.run(runId);
    a.register(runFeed);
    awaitLive(a, runFeed);

    await().atMost(Duration.ofSeconds(15)).until(() -> a.events(orgFeed, runId).stream()
        .anyMatch(e -> TERMINAL.contains(e.getString("status"))));
    await().atMost(Duration.ofSeconds(2)).until(() -> a.events(runFeed, runId).stream()
        .anyMatch(e -> TERMINAL.contains(e.getString("status"))));
    JsonObject run = adminA.get("/api/v1/runs/" + runId).json();
    assertThat(run.getString("status")).isEqualTo("succeeded");

    List<JsonObject> org = a.events(orgFeed, runId);
    List<String> statuses = org.stream().map(e -> e.getString("status")).toList();
    assertThat(statuses.get(0)).isEqualTo("queued");
    assertThat(statuses.get(statuses.size() - 1)).isEqualTo("succeeded");
    assertThat(statuses.subList(1, statuses.size() - 1)).isNotEmpty().containsOnly("running");
    assertThat(org).anyMatch(e -> e.getBoolean("progress", false));
    assertThat(org.stream().map(e -> e.getLong("at")).toList()).isSorted();
    assertThat(org.get(org.size() - 1).getLong("rowCount")).isEqualTo(run.getLong("rowCount")).isEqualTo(1L);

    // the run's own feed, registered once the run existed: the same events, in the same order, from then on
    List<JsonObject> own = a.events(runFeed, runId);
    assertThat(own.size()).isLessThanOrEqualTo(org.size());
    assertThat(own).isEqualTo(org.subList(org.size() - own.size(), org.size()));
    assertThat(own).anyMatch(e -> e.getBoolean("progress", false));
    assertThat(own.get(own.size() - 1).getString("status")).isEqualTo("succeeded");
    assertThat(a.errors()).isEmpty();
  }

  @Test
  void aMemberOfAnotherOrgIsRefusedAndReceivesNothing() {
    String runId = createRun("select 1 /* another org */");
    BridgeSocket b = bridge.open(sessionCookie(adminB));
    for (String address : List.of(Addresses.orgRuns(orgA), Addresses.run(runId))) {
      b.expectRefused(address);
    }
    // malformed or foreign addresses are refused before any lookup
    for (String address : List.of(Addresses.run("not-a-uuid"), Addresses.run(runId.toUpperCase(Locale.ROOT)),
        Addresses.run(runId) + ".x", Addresses.orgRuns(ORG_B) + "x", "sightline.org." + ORG_B, Addresses.RUNS_WAKE,
        Addresses.RUNS_CANCEL, Addresses.node("x"), "anything.else", "")) {
      b.expectRefused(address);
    }
    // its own org's feed is fine
    b.register(Addresses.orgRuns(ORG_B));
    awaitLive(b, Addresses.orgRuns(ORG_B));

    BridgeSocket a = bridge.open(sessionCookie(adminA));
    a.register(Addresses.orgRuns(orgA));
    awaitLive(a, Addresses.orgRuns(orgA));
    String second = createRun("select 2 /* another org */");
    await().atMost(Duration.ofSeconds(15)).until(() -> a.events(Addresses.orgRuns(orgA), second).stream()
        .anyMatch(e -> TERMINAL.contains(e.getString("status"))));
    // whatever A's feeds carry (probes included) never reaches B
    probe(Addresses.orgRuns(orgA));
    probe(Addresses.run(runId));
    awaitLive(b, Addresses.orgRuns(ORG_B));
    assertThat(b.received()).allMatch(f -> f.getString("address").equals(Addresses.orgRuns(ORG_B)));
    assertThat(b.received()).allMatch(f -> f.getJsonObject("body").containsKey("probe"));
  }

  @Test
  void anAnonymousSocketMayConnectButIsRefusedEverything() {
    String runId = createRun("select 3 /* anonymous */");
    BridgeSocket control = bridge.open(sessionCookie(adminA));
    control.register(Addresses.orgRuns(orgA));
    control.register(Addresses.run(runId));
    awaitLive(control, Addresses.orgRuns(orgA));
    awaitLive(control, Addresses.run(runId));

    BridgeSocket anonymous = bridge.open(null);
    String[] jwt = adminA.cookie("sightline_session").orElseThrow().getValue().split("\\.");
    BridgeSocket forged = bridge.open("sightline_session=" + jwt[0] + "." + jwt[1] + ".c2lnbmF0dXJlIGZvcmdlZA");
    BridgeSocket otherOrigin = bridge.open(BridgeSocket.Framing.RAW, sessionCookie(adminA), "http://evil.example", null);
    BridgeSocket otherOriginSockJs = bridge.open(BridgeSocket.Framing.SOCKJS, sessionCookie(adminA), "http://evil.example", null);
    BridgeSocket anonymousSockJs = bridge.openSockJs(null);
    List<BridgeSocket> refused = List.of(anonymous, forged, otherOrigin, otherOriginSockJs, anonymousSockJs);
    for (BridgeSocket s : refused) {
      for (String address : List.of(Addresses.orgRuns(orgA), Addresses.run(runId), Addresses.orgRuns(ORG_B))) {
        s.expectRefused(address);
      }
    }
    probe(Addresses.orgRuns(orgA));
    probe(Addresses.run(runId));
    awaitLive(control, Addresses.orgRuns(orgA));
    awaitLive(control, Addresses.run(runId));
    sleep(200);
    for (BridgeSocket s : refused) {
      assertThat(s.received()).isEmpty();
    }
  }

  @Test
  void anApiKeyAuthenticatesASocketToo() {
    String key = adminA.post("/api/v1/api-keys", new JsonObject().put("name", "live feed")).json().getString("key");
    BridgeSocket k = bridge.open(BridgeSocket.Framing.RAW, null, null, "Bearer " + key);
    k.register(Addresses.orgRuns(orgA));
    awaitLive(k, Addresses.orgRuns(orgA));
    k.expectRefused(Addresses.orgRuns(ORG_B));
  }

  @Test
  void anExpiredApiKeyIsRefusedAndEndsASocketOpenedBefore() {
    JsonObject created = adminA.post("/api/v1/api-keys", new JsonObject().put("name", "expiring feed")
        .put("expiresAt", java.time.Instant.now().plus(Duration.ofDays(1)).toString())).json();
    String bearer = "Bearer " + created.getString("key");
    BridgeSocket before = bridge.open(BridgeSocket.Framing.RAW, null, null, bearer);
    before.register(Addresses.orgRuns(orgA));
    awaitLive(before, Addresses.orgRuns(orgA));

    db.execute("update api_keys set created_at = now() - interval '2 days', expires_at = now() - interval '1 second'"
        + " where id = '" + created.getString("id") + "'");
    BridgeSocket after = bridge.open(BridgeSocket.Framing.RAW, null, null, bearer);
    after.expectRefused(Addresses.orgRuns(orgA));
    // the next registration re-checks the key: refused, and the socket is closed
    before.expectRefused(Addresses.run(UUID.randomUUID().toString()));
    await().atMost(Duration.ofSeconds(5)).until(before::closed);
  }

  @Test
  void theXhrFallbackTransportAuthenticatesItsPostToo() {
    // SockJS's XHR transports open a session with a POST; no CSRF header is needed, as the bridge changes nothing.
    // The polling transport closes the connection after each answer: a new client (connection) per request.
    Supplier<ApiClient> xhr = () -> adminA.copyCookiesTo(new ApiClient(base)).withoutCsrf();
    String session = "/eventbus/000/" + UUID.randomUUID().toString().replace("-", "") + "/";
    assertThat(xhr.get().send("POST", session + "xhr", null, null).body()).startsWith("o");
    String orgFeed = Addresses.orgRuns(orgA);
    for (String address : List.of(orgFeed, Addresses.orgRuns(ORG_B))) {
      ApiClient.Response sent = xhr.get().send("POST", session + "xhr_send", new JsonArray()
          .add(new JsonObject().put("type", "register").put("address", address).encode()).encode(), "text/plain");
      assertThat(sent.status()).as(sent.toString()).isEqualTo(204);
    }
    List<JsonObject> frames = new ArrayList<>();
    long prober = node.vertx().setPeriodic(50, t -> probe(orgFeed));
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        String body = xhr.get().send("POST", session + "xhr", null, null).body();
        if (body.startsWith("a")) {
          new JsonArray(body.substring(1)).forEach(f -> frames.add(new JsonObject((String) f)));
        }
        return frames.stream().anyMatch(f -> "err".equals(f.getString("type")))
            && frames.stream().anyMatch(f -> "rec".equals(f.getString("type")));
      });
    } finally {
      node.vertx().cancelTimer(prober);
    }
    assertThat(frames).filteredOn(f -> "rec".equals(f.getString("type")))
        .allMatch(f -> f.getString("address").equals(orgFeed));
    assertThat(frames).filteredOn(f -> "err".equals(f.getString("type")))
        .singleElement().satisfies(f -> assertThat(f.getString("body")).isEqualTo("rejected"));
  }

  @Test
  void clientsCannotSendOrPublishIntoTheBus() {
    String runId = createRun("select 4 /* inbound */");
    List<String> targets = List.of(Addresses.orgRuns(orgA), Addresses.run(runId), Addresses.RUNS_WAKE,
        Addresses.RUNS_CANCEL, Addresses.SCHEDULES_CHANGED, "sightline.test.inbound");
    String marker = UUID.randomUUID().toString();
    List<Object> leaked = new CopyOnWriteArrayList<>();
    List<MessageConsumer<Object>> consumers = new ArrayList<>();
    for (String address : targets) {
      MessageConsumer<Object> c = node.vertx().eventBus().consumer(address, m -> {
        if (String.valueOf(m.body()).contains(marker)) {
          leaked.add(m.body());
        }
      });
      Await.result(c.completion());
      consumers.add(c);
    }
    try {
      BridgeSocket a = bridge.open(sessionCookie(adminA));
      a.register(Addresses.orgRuns(orgA));
      awaitLive(a, Addresses.orgRuns(orgA));
      int sent = 0;
      for (String address : targets) {
        for (String type : List.of("send", "publish")) {
          a.send(new JsonObject().put("type", type).put("address", address)
              .put("body", new JsonObject().put("marker", marker)));
          a.send(new JsonObject().put("type", type).put("address", address).put("replyAddress", "r" + sent)
              .put("body", new JsonObject().put("marker", marker)));
          sent += 2;
        }
      }
      int expected = sent;
      await().atMost(Duration.ofSeconds(5)).until(() -> a.errors().size() >= expected);
      assertThat(a.errors()).hasSize(expected).allMatch(e -> e.getString("body").equals("rejected"));
      // the socket is still served (its registration delivers), and nothing it sent reached anyone
      awaitLive(a, Addresses.orgRuns(orgA));
      sleep(200);
      assertThat(leaked).isEmpty();
      assertThat(a.received()).noneMatch(f -> f.encode().contains(marker));
    } finally {
      consumers.forEach(MessageConsumer::unregister);
    }
  }

  @Test
  void afterSignOutTheSocketIsRefusedAndClosed() {
    ApiClient session = new ApiClient(base).login(ADMIN_A, PASSWORD);
    String runId = createRun("select 5 /* sign-out */");
    BridgeSocket s = bridge.openSockJs(sessionCookie(session));
    s.register(Addresses.orgRuns(orgA));
    awaitLive(s, Addresses.orgRuns(orgA));

    assertThat(session.post("/api/v1/auth/logout", null).status()).isEqualTo(204);
    s.expectRefused(Addresses.run(runId));
    await().atMost(Duration.ofSeconds(5)).until(s::closed);
    int before = s.received().size();
    probe(Addresses.orgRuns(orgA));
    sleep(200);
    assertThat(s.received()).hasSize(before);
    // the other sessions of the same user are untouched
    BridgeSocket other = bridge.open(sessionCookie(adminA));
    other.register(Addresses.run(runId));
    awaitLive(other, Addresses.run(runId));
  }

  // ---- helpers -----------------------------------------------------------------------------------------------------

  private static String createRun(String sql) {
    ApiClient.Response created = adminA.post("/api/v1/runs",
        new JsonObject().put("datasourceId", datasourceId).put("sql", sql));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().getString("id");
  }

  private static String sessionCookie(ApiClient client) {
    return "sightline_session=" + client.cookie("sightline_session").orElseThrow().getValue();
  }

  /** Publishes a probe on {@code address} from the server side; returns its token. */
  private static int probe(String address) {
    int token = probes.incrementAndGet();
    node.vertx().eventBus().publish(address, new JsonObject().put("probe", token));
    return token;
  }

  /**
   * Waits until {@code socket}'s registration of {@code address} is live: probes published on it from the server
   * side reach the socket. (The bridge does not acknowledge registrations.)
   */
  private static void awaitLive(BridgeSocket socket, String address) {
    List<Integer> sent = new CopyOnWriteArrayList<>();
    await(address + " live").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
      sent.add(probe(address));
      return socket.received().stream().anyMatch(f -> f.getString("address").equals(address)
          && sent.contains(f.getJsonObject("body").getInteger("probe", -1)));
    });
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
