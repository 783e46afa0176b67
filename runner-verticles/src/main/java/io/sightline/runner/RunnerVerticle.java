package io.sightline.runner;

import io.sightline.shared.bus.Addresses;
import io.sightline.shared.config.SightlineConfig;
import io.sightline.shared.connector.Connectors;
import io.sightline.shared.crypto.SecretBox;
import io.sightline.shared.result.ResultStore;
import io.sightline.shared.result.ResultStores;
import io.sightline.shared.runs.RunService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runner: finds the connectors on its classpath, answers on {@link Addresses#RUNNERS_PING} so the api can tell whether
 * any runner is reachable and what it can serve, and serves the api's datasource requests (connection tests, schema
 * introspection), claims and executes runs ({@link RunEngine}), and fires due schedules ({@link ScheduleFirer}).
 */
public final class RunnerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerVerticle.class);

  private final SightlineConfig config;
  private final Pool pool;
  private final SecretBox secrets;
  private final String runnerId;
  private Connectors connectors;
  private RunEngine engine;
  private ResultHousekeeping housekeeping;
  private ScheduleFirer schedules;
  private final Clock clock;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  private final int concurrency;

  /** One runner verticle doing all of the process's runs. */
  public RunnerVerticle(SightlineConfig config, Pool pool, SecretBox secrets) {
    this(config, pool, secrets, config.runner().concurrency());
  }

  /**
   * One of a process's runner verticles, running at most {@code share} runs at once (the shares of a process add up to
   * its {@code runner.concurrency}, see {@link RunnerMain#deploy}).
   */
  RunnerVerticle(SightlineConfig config, Pool pool, SecretBox secrets, int share) {
    this(config, pool, secrets, share, FiringClock.fromSystemProperties());
  }

  /** As above, with the clock schedules fire by (tests move it). */
  RunnerVerticle(SightlineConfig config, Pool pool, SecretBox secrets, int share, Clock clock) {
    this.clock = clock;
    this.config = config;
    this.pool = pool;
    this.secrets = secrets;
    this.runnerId = runnerId(config);
    this.concurrency = Math.max(1, share);
  }

  /** The connector kinds this verticle serves (after it started). */
  java.util.Set<String> connectorKinds() {
    return connectors.byKind().keySet();
  }

  @Override
  public Future<?> start() {
    // the process logs its total once (RunnerMain.deploy); this is one event loop's share of it
    return loadConnectors().compose(v -> answerPings()).compose(v -> serveDatasourceRequests())
        .compose(v -> startEngine()).onSuccess(v -> LOG.debug("runner {}: an event loop taking up to {} runs",
            runnerId, concurrency));
  }

  private Future<Void> loadConnectors() {
    connectors = Connectors.load();
    if (connectors.byKind().isEmpty()) {
      return Future.failedFuture("no connector found on the classpath (is sightline-connector-postgres missing?)");
    }
    return Future.succeededFuture();
  }

  private Future<Void> answerPings() {
    MessageConsumer<JsonObject> ping = vertx.eventBus().consumer(Addresses.RUNNERS_PING, msg -> msg.reply(
        new JsonObject()
            .put("runnerId", runnerId)
            .put("connectors", new JsonArray(connectors.byKind().keySet().stream().toList()))
            .put("concurrency", config.runner().concurrency())));
    consumers.add(ping);
    return ping.completion();
  }

  private Future<Void> serveDatasourceRequests() {
    List<MessageConsumer<JsonObject>> added = new DatasourceRequests(vertx, pool, secrets, connectors).register();
    consumers.addAll(added);
    return Future.all(added.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  private Future<Void> startEngine() {
    // building an S3 client loads much of the AWS SDK: a worker's job, not an event loop's
    return vertx.executeBlocking(() -> ResultStores.create(vertx, config)).compose(this::startEngine);
  }

  private Future<Void> startEngine(ResultStore store) {
    engine = new RunEngine(vertx, config, pool, secrets, connectors, store, runnerId, concurrency);
    housekeeping = new ResultHousekeeping(vertx, pool, store, config);
    housekeeping.start();
    schedules = new ScheduleFirer(vertx, pool, new RunService(vertx, pool, config.runs()), clock);
    return engine.start().compose(v -> schedules.start());
  }

  @Override
  public Future<?> stop() {
    if (housekeeping != null) {
      housekeeping.stop();
    }
    Future<Void> schedulesStopped = schedules == null ? Future.succeededFuture() : schedules.stop();
    Future<Void> engineStopped = schedulesStopped.eventually(() -> engine == null ? Future.succeededFuture()
        : engine.stop());
    return engineStopped
        .eventually(() -> Future.join(connectors.byKind().values().stream().map(c -> c.close(vertx)).toList()))
        .eventually(() -> Future.all(consumers.stream().map(MessageConsumer::unregister).toList()));
  }

  /** The configured id, or host name and pid: what run history shows as "ran on". */
  static String runnerId(SightlineConfig config) {
    if (!config.runner().id().isEmpty()) {
      return config.runner().id();
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "runner";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
