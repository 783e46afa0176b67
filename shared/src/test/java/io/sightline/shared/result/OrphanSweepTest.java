package io.sightline.shared.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.testkit.Await;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.S3ProxyServer;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The janitor's orphan sweep against both object stores (a local directory, and S3 over the real protocol): chunks
 * that no results row owns are deleted once idle for the grace period; chunks still being written, chunks of recorded
 * results and anything not named like a result are kept. Objects are made old by setting their modification times
 * (file mtimes; for S3, the files behind a directory-backed S3Proxy, which it reports as LastModified).
 */
@ExtendWith(PostgresExtension.class)
class OrphanSweepTest {
  private static final Duration GRACE = Duration.ofHours(1);
  private static final Instant LONG_AGO = Instant.now().minus(Duration.ofHours(3));
  private static final String BUCKET = "sightline-orphans";

  private static Vertx vertx;
  private static Pool pool;
  private static TestDatabase db;
  private static S3ProxyServer s3;
  private static S3AsyncClient s3Client;
  private static String orgId;
  private static String datasourceId;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void setUp(TestDatabase database) throws IOException {
    db = database;
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(db.url().connectOptions())
        .using(vertx).build();
    s3 = S3ProxyServer.start(BUCKET, Files.createDirectories(tmp.resolve("s3")));
    s3Client = s3.client();
    orgId = db.query("insert into orgs (name, slug) values ('Trading ops', 'trading-ops') returning id").get(0)
        .get("id").toString();
    datasourceId = db.query("insert into datasources (org_id, name) values ('" + orgId + "', 'warehouse') returning id")
        .get(0).get("id").toString();
  }

  @AfterAll
  static void tearDown() {
    if (s3Client != null) {
      s3Client.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (pool != null) {
      Await.result(pool.close());
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  /** Each test gets its own empty store root: a fresh directory, or a fresh prefix in the bucket. */
  enum Kind {
    LOCAL, S3;

    Stores create() {
      String root = "t-" + UUID.randomUUID();
      return this == LOCAL ? new LocalStores(tmp.resolve(root)) : new S3Stores(root + "/");
    }
  }

  /** Stores of one kind over one root (one per simulated node), and the test's view of their objects. */
  interface Stores {
    ResultStore node();

    /** Sets the modification time of every object of {@code location} (or of one chunk, if chunkNo >= 0). */
    void age(String location, int chunkNo, Instant at);

    /** The object names under {@code location}. */
    List<String> objects(String location);
  }

  record LocalStores(Path dir) implements Stores {
    @Override
    public ResultStore node() {
      return new LocalDirectoryStore(vertx, dir);
    }

    @Override
    public void age(String location, int chunkNo, Instant at) {
      Path resultDir = dir.resolve(location);
      try {
        if (chunkNo >= 0) {
          Files.setLastModifiedTime(resultDir.resolve(ObjectNames.chunkFile(chunkNo)), FileTime.from(at));
          return;
        }
        for (String name : objects(location)) {
          Files.setLastModifiedTime(resultDir.resolve(name), FileTime.from(at));
        }
        Files.setLastModifiedTime(resultDir, FileTime.from(at));  // after its files: creating them touched it
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public List<String> objects(String location) {
      Path resultDir = dir.resolve(location);
      if (!Files.exists(resultDir)) {
        return List.of();
      }
      try (Stream<Path> files = Files.list(resultDir)) {
        return files.map(f -> f.getFileName().toString()).sorted().toList();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  record S3Stores(String prefix) implements Stores {
    @Override
    public ResultStore node() {
      return new S3ResultStore(vertx, s3Client, BUCKET, prefix);
    }

    @Override
    public void age(String location, int chunkNo, Instant at) {
      s3.setLastModified(prefix + location + "/" + (chunkNo >= 0 ? ObjectNames.chunkFile(chunkNo) : ""), at);
    }

    @Override
    public List<String> objects(String location) {
      String under = prefix + location + "/";
      return s3Client.listObjectsV2(b -> b.bucket(BUCKET).prefix(under)).join().contents().stream()
          .map(o -> o.key().substring(under.length())).sorted().toList();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void idleOrphansAreDeletedWhileLiveWritesRecordedResultsAndForeignObjectsStay(Kind kind) {
    Stores stores = kind.create();
    ResultStore store = stores.node();
    String orphan = chunks(store, 3);           // a killed run's partial result, idle for hours
    stores.age(orphan, -1, LONG_AGO);
    String fresh = chunks(store, 2);            // a run writing right now, no row yet
    String slow = chunks(store, 3);             // a run that began long ago and still writes: its last chunk is new
    stores.age(slow, -1, LONG_AGO);
    stores.age(slow, 2, Instant.now());
    String recorded = chunks(store, 3);         // a finished result with its row, whatever its objects' age
    stores.age(recorded, -1, LONG_AGO);
    record(recorded, store.kind());
    String foreign = "not-a-result";            // not named like a result id: not the sweep's to judge
    Await.result(store.put(foreign, 0, Buffer.buffer("keep me")));
    stores.age(foreign, -1, LONG_AGO);

    assertThat(Await.result(ResultJanitor.sweepOrphans(pool, store, GRACE, 100))).isEqualTo(1);

    assertThat(stores.objects(orphan)).isEmpty();
    assertThat(stores.objects(fresh)).hasSize(2);
    assertThat(stores.objects(slow)).hasSize(3);
    assertThat(stores.objects(recorded)).hasSize(3);
    assertThat(stores.objects(foreign)).hasSize(1);
    assertThat(Await.result(store.get(recorded, 2)).toString()).isEqualTo("chunk 2 of " + recorded);
    assertThat(Await.result(ResultJanitor.sweepOrphans(pool, store, GRACE, 100))).isZero();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void moreOrphansThanOneBatchAreAllDeletedPageByPage(Kind kind) {
    Stores stores = kind.create();
    ResultStore store = stores.node();
    List<String> orphans = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      orphans.add(chunks(store, 2));
      stores.age(orphans.get(i), -1, LONG_AGO);
    }
    List<String> recorded = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      recorded.add(chunks(store, 2));
      stores.age(recorded.get(i), -1, LONG_AGO);
      record(recorded.get(i), store.kind());
    }

    // the listing hands over at most a batch at a time, and every location exactly once
    List<List<String>> pages = new CopyOnWriteArrayList<>();
    Await.result(store.listLocations(3, page -> {
      pages.add(page);
      return Future.succeededFuture();
    }));
    assertThat(pages).allSatisfy(page -> assertThat(page).hasSizeBetween(1, 3));
    assertThat(pages.stream().flatMap(List::stream)).containsExactlyInAnyOrderElementsOf(
        Stream.concat(orphans.stream(), recorded.stream()).toList());

    int total = 0;
    int calls = 0;
    for (int deleted = -1; deleted != 0 && calls < 10; calls++) {
      deleted = Await.result(ResultJanitor.sweepOrphans(pool, store, GRACE, 3));
      total += deleted;
    }
    assertThat(total).isEqualTo(8);
    assertThat(calls).isLessThan(10);
    orphans.forEach(o -> assertThat(stores.objects(o)).isEmpty());
    recorded.forEach(r -> assertThat(stores.objects(r)).hasSize(2));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void sweepsOnSeveralNodesAtOnceAgree(Kind kind) {
    Stores stores = kind.create();
    List<String> orphans = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      orphans.add(chunks(stores.node(), 3));
      stores.age(orphans.get(i), -1, LONG_AGO);
    }
    String recorded = chunks(stores.node(), 3);
    stores.age(recorded, -1, LONG_AGO);
    record(recorded, stores.node().kind());

    List<Future<Integer>> sweeps = Stream.generate(stores::node).limit(3)
        .map(node -> ResultJanitor.sweepOrphans(pool, node, GRACE, 2)).toList();
    Await.result(Future.all(sweeps));

    assertThat(sweeps.stream().mapToInt(Future::result).sum()).isGreaterThanOrEqualTo(orphans.size());
    orphans.forEach(o -> assertThat(stores.objects(o)).isEmpty());
    assertThat(stores.objects(recorded)).hasSize(3);
  }

  @Test
  void graceCoversTheLongestRunAndArgumentsAreChecked() {
    assertThat(ResultJanitor.orphanGrace(3_600_000)).isEqualTo(Duration.ofMinutes(75));
    assertThat(ResultJanitor.orphanGrace(6 * 3_600_000)).isEqualTo(Duration.ofMinutes(6 * 60 + 15));
    assertThat(ResultJanitor.orphanGrace(60_000)).isEqualTo(Duration.ofHours(1));
    ResultStore store = Kind.LOCAL.create().node();
    assertThatThrownBy(() -> Await.result(ResultJanitor.sweepOrphans(pool, store, Duration.ZERO, 10)))
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Await.result(ResultJanitor.sweepOrphans(pool, store, GRACE, 0)))
        .hasCauseInstanceOf(IllegalArgumentException.class);
    // the sweep looks rows up by id: an object store result's location must be its id
    assertThatThrownBy(() -> new ResultSummary(UUID.randomUUID().toString(), "local", "elsewhere", List.of(), 0, 0, 0,
        List.of(), false, null, List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- helpers ----------------------------------------------------------------------------------------------------

  /** A new location holding chunks {@code 0..n-1}, as a ResultWriter that spilled them would have left it. */
  private static String chunks(ResultStore store, int n) {
    String location = UUID.randomUUID().toString();
    for (int i = 0; i < n; i++) {
      Await.result(store.put(location, i, Buffer.buffer("chunk " + i + " of " + location)));
    }
    return location;
  }

  /** A results row (of a succeeded run) for the result stored at {@code location}, expiring tomorrow. */
  private static void record(String location, String storage) {
    String runId = db.query("insert into runs (org_id, datasource_id, sql, options, fingerprint, trigger, status,"
        + " attempt, started_at, finished_at) values ('" + orgId + "', '" + datasourceId + "', 'select 1', '{}', '"
        + UUID.randomUUID() + "', 'manual', 'succeeded', 1, now(), now()) returning id").get(0).get("id").toString();
    db.execute("insert into results (id, org_id, run_id, storage, location, columns, chunk_count, expires_at) values ('"
        + location + "', '" + orgId + "', '" + runId + "', '" + storage + "', '" + location + "', '[]', 3,"
        + " now() + interval '1 day')");
  }
}
