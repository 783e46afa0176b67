package io.sightline.shared.boot;

import com.hazelcast.config.Config;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sightline.shared.bus.EventBusChecker;
import io.sightline.shared.config.ConfigException;
import io.sightline.shared.config.SightlineConfig;
import io.sightline.shared.crypto.SecretBox;
import io.sightline.shared.crypto.SecretKeyCheck;
import io.sightline.shared.db.DatabaseWait;
import io.sightline.shared.db.MetadataPool;
import io.sightline.shared.db.Migrations;
import io.sightline.shared.health.Readiness;
import io.sightline.shared.metrics.MetricsServer;
import io.sightline.shared.metrics.NodeMetrics;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Sightline process: its configuration, Vert.x instance (clustered or not), metadata pool and event-bus
 * checker. {@link #start} runs the start-up steps in order on the calling (launcher or test) thread, blocking:
 * secret key → wait for the database → migrate → stored secrets open with the key → Vert.x (with its metrics when
 * {@code SIGHTLINE_METRICS_PORT} is set) → pool → bus check → {@code /metrics} listener. Never call it from an event
 * loop.
 */
public final class Node implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);

  private final SightlineConfig config;
  private final NodeRole role;
  private final Vertx vertx;
  private final Pool pool;
  private final EventBusChecker bus;
  private final Readiness readiness;
  private final SecretBox secrets;
  private final MetricsServer metricsServer;

  private Node(SightlineConfig config, NodeRole role, Vertx vertx, Pool pool, EventBusChecker bus,
      Readiness readiness, SecretBox secrets, MetricsServer metricsServer) {
    this.secrets = secrets;
    this.metricsServer = metricsServer;
    this.config = config;
    this.role = role;
    this.vertx = vertx;
    this.pool = pool;
    this.bus = bus;
    this.readiness = readiness;
  }

  /** Starts a node; {@code clustered} joins the Hazelcast cluster described by {@code config.cluster()}. */
  public static Node start(SightlineConfig config, NodeRole role, boolean clustered) {
    if (config.database().url() == null) {
      throw new ConfigException("SIGHTLINE_DATABASE_URL (database.url): required for the " + role.label()
          + " process (only the standalone process can start its own embedded Postgres)");
    }
    SecretBox secrets = SecretBox.from(config);
    DatabaseWait.untilReachable(config.database().url(), Duration.ofSeconds(config.database().startupTimeoutSeconds()));
    String schema = Migrations.migrate(config.database().url());
    SecretKeyCheck.verify(config.database().url(), secrets);
    PrometheusMeterRegistry registry = config.metrics().enabled() ? NodeMetrics.prometheus() : null;
    Vertx vertx = clustered ? clusteredVertx(config, registry) : builder(config, false, registry).build();
    try {
      if (registry != null) {
        NodeMetrics.install(vertx, registry);
      }
      Pool pool = MetadataPool.create(vertx, config);
      EventBusChecker bus = new EventBusChecker(vertx, role);
      bus.start().await(10, TimeUnit.SECONDS);
      Readiness readiness = new Readiness(pool, schema, bus);
      MetricsServer metricsServer = null;
      if (registry != null) {
        metricsServer = startMetrics(vertx, registry, readiness, config.metrics());
        LOG.info("{} metrics at http://{}:{}/metrics", role.label(), config.metrics().host(), metricsServer.port());
      }
      return new Node(config, role, vertx, pool, bus, readiness, secrets, metricsServer);
    } catch (Exception e) {
      vertx.close();
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
  }

  private static MetricsServer startMetrics(Vertx vertx, PrometheusMeterRegistry registry, Readiness readiness,
      SightlineConfig.Metrics metrics) {
    try {
      return MetricsServer.start(vertx, registry, readiness, metrics.host(), metrics.port())
          .await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new ConfigException("SIGHTLINE_METRICS_PORT (metrics.port): cannot listen on " + metrics.host() + ":"
          + metrics.port() + " (" + e.getMessage() + ")");
    }
  }

  /** A Vert.x builder with the process's options; recording into {@code registry} when metrics are on (not null). */
  private static VertxBuilder builder(SightlineConfig config, boolean clustered, PrometheusMeterRegistry registry) {
    VertxOptions options = new VertxOptions().setPreferNativeTransport(false);
    if (clustered) {
      SightlineConfig.Cluster cluster = config.cluster();
      options.getEventBusOptions()
          .setHost(cluster.host())
          .setPort(cluster.eventBusPort())
          .setClusterPublicHost(cluster.host());
    }
    if (registry == null) {
      return Vertx.builder().with(options);
    }
    options.setMetricsOptions(NodeMetrics.options());
    return NodeMetrics.instrument(Vertx.builder().with(options), registry);
  }

  private static Vertx clusteredVertx(SightlineConfig config, PrometheusMeterRegistry registry) {
    SightlineConfig.Cluster cluster = config.cluster();
    Config hazelcast = HazelcastConfigs.load(cluster);
    long started = System.nanoTime();
    try {
      Vertx vertx = builder(config, true, registry)
          .withClusterManager(new HazelcastClusterManager(hazelcast))
          .buildClustered()
          .await(120, TimeUnit.SECONDS);
      LOG.info("joined cluster '{}' on {}:{} in {} ms", cluster.name(), cluster.host(), cluster.port(),
          (System.nanoTime() - started) / 1_000_000);
      return vertx;
    } catch (Exception e) {
      throw new IllegalStateException("could not join cluster '" + cluster.name() + "' on " + cluster.host() + ":"
          + cluster.port() + " (members " + cluster.members() + "): " + e.getMessage(), e);
    }
  }

  /** Deploys {@code instances} copies of a verticle and waits for them. */
  public String deploy(Supplier<? extends Deployable> verticle, int instances) {
    try {
      return vertx.deployVerticle(verticle, new DeploymentOptions().setInstances(instances)).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
  }

  public SightlineConfig config() {
    return config;
  }

  public NodeRole role() {
    return role;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Pool pool() {
    return pool;
  }

  public EventBusChecker bus() {
    return bus;
  }

  /** Seals and opens stored secrets with SIGHTLINE_SECRET_KEY. */
  public SecretBox secrets() {
    return secrets;
  }

  public Readiness readiness() {
    return readiness;
  }

  /** The port of the {@code /metrics} listener, or -1 when metrics are off. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  private void drain() {
    readiness.markStopping();
    int seconds = config.http().drainSeconds();
    if (role == NodeRole.RUNNER || seconds == 0) {
      return;
    }
    LOG.info("{} node draining for {} s: /readyz answers 503, requests are still served", role.label(), seconds);
    try {
      Thread.sleep(seconds * 1000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * First drains a process that serves HTTP ({@code SIGHTLINE_HTTP_DRAIN_SECONDS}, 0 skips it): readiness says
   * "stopping" at once while requests are still served, so that a balancer stops sending new ones. Then undeploys
   * every verticle and waits for their stop (a runner hands its runs back through the metadata pool and its
   * datasource pools there), only then closes Vert.x: leaves the cluster and closes the pool. vertx.close() alone runs
   * Vert.x's close hooks, which close the shared metadata pool, before the verticles' stop has finished ("Pool
   * closed"). Waits up to 20 s in all.
   */
  @Override
  public void close() {
    drain();
    long started = System.nanoTime();
    // a runner first lets its running runs finish for up to runner.drainSeconds
    Duration timeout = CLOSE_TIMEOUT.plusSeconds(role == NodeRole.API ? 0 : config.runner().drainSeconds());
    long deadline = started + timeout.toNanos();
    try {
      Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
          .await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("{} node: undeploying did not finish cleanly: {}", role.label(), e.toString());
    }
    try {
      vertx.close().await(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
      LOG.info("{} node stopped in {} ms", role.label(), (System.nanoTime() - started) / 1_000_000);
    } catch (Exception e) {
      LOG.warn("{} node did not stop cleanly within {} s: {}", role.label(), timeout.toSeconds(), e.toString());
    }
  }
}
