package io.sightline.shared.boot;

import com.hazelcast.config.Config;
import io.sightline.shared.bus.EventBusChecker;
import io.sightline.shared.config.ConfigException;
import io.sightline.shared.config.SightlineConfig;
import io.sightline.shared.crypto.SecretBox;
import io.sightline.shared.crypto.SecretKeyCheck;
import io.sightline.shared.db.DatabaseWait;
import io.sightline.shared.db.MetadataPool;
import io.sightline.shared.db.Migrations;
import io.sightline.shared.health.Readiness;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
 * secret key → wait for the database → migrate → stored secrets open with the key → Vert.x → pool → bus check. Never call it from an event loop.
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

  private Node(SightlineConfig config, NodeRole role, Vertx vertx, Pool pool, EventBusChecker bus, String schema,
      SecretBox secrets) {
    this.secrets = secrets;
    this.config = config;
    this.role = role;
    this.vertx = vertx;
    this.pool = pool;
    this.bus = bus;
    this.readiness = new Readiness(pool, schema, bus);
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
    Vertx vertx = clustered ? clusteredVertx(config) : Vertx.builder().with(options()).build();
    try {
      Pool pool = MetadataPool.create(vertx, config);
      EventBusChecker bus = new EventBusChecker(vertx, role);
      bus.start().await(10, TimeUnit.SECONDS);
      return new Node(config, role, vertx, pool, bus, schema, secrets);
    } catch (Exception e) {
      vertx.close();
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
  }

  private static VertxOptions options() {
    return new VertxOptions().setPreferNativeTransport(false);
  }

  private static Vertx clusteredVertx(SightlineConfig config) {
    SightlineConfig.Cluster cluster = config.cluster();
    VertxOptions options = options();
    options.getEventBusOptions()
        .setHost(cluster.host())
        .setPort(cluster.eventBusPort())
        .setClusterPublicHost(cluster.host());
    Config hazelcast = HazelcastConfigs.load(cluster);
    long started = System.nanoTime();
    try {
      Vertx vertx = Vertx.builder()
          .with(options)
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

  /**
   * Undeploys every verticle and waits for their stop (a runner hands its runs back through the metadata pool and its
   * datasource pools there), only then closes Vert.x: leaves the cluster and closes the pool. vertx.close() alone runs
   * Vert.x's close hooks, which close the shared metadata pool, before the verticles' stop has finished ("Pool
   * closed"). Waits up to 20 s in all.
   */
  @Override
  public void close() {
    long started = System.nanoTime();
    long deadline = started + CLOSE_TIMEOUT.toNanos();
    try {
      Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
          .await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("{} node: undeploying did not finish cleanly: {}", role.label(), e.toString());
    }
    try {
      vertx.close().await(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
      LOG.info("{} node stopped in {} ms", role.label(), (System.nanoTime() - started) / 1_000_000);
    } catch (Exception e) {
      LOG.warn("{} node did not stop cleanly within {} s: {}", role.label(), CLOSE_TIMEOUT.toSeconds(), e.toString());
    }
  }
}
