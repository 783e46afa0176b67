package io.sightline.shared.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.shared.config.SightlineConfig;
import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.connector.RawJson;
import io.sightline.testkit.Await;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.S3ProxyServer;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Chunked result storage end to end: ResultWriter → ResultRecords (real Postgres) → ResultReader, for each tier
 * (postgres inline, local directory, S3 over the real protocol), limits, abort, retention.
 */
@ExtendWith(PostgresExtension.class)
class ResultStorageTest {
  static final List<ColumnMeta> COLUMNS = List.of(
      new ColumnMeta("id", "bigint", "int8"),
      new ColumnMeta("n", "integer", "int4"),
      new ColumnMeta("price", "decimal", "numeric"),
      new ColumnMeta("ratio", "number", "float8"),
      new ColumnMeta("ok", "boolean", "bool"),
      new ColumnMeta("name", "text", "text"),
      new ColumnMeta("at", "timestamptz", "timestamptz"),
      new ColumnMeta("doc", "json", "json"),
      new ColumnMeta("tags", "array", "_text", "text"));
  static final int ROWS = 3000;
  static final int MAX_CHUNKS_IN_FLIGHT = ResultWriter.MAX_IN_FLIGHT;

  private static Vertx vertx;
  private static Pool pool;
  private static TestDatabase db;
  private static S3ProxyServer s3;
  private static S3AsyncClient s3Client;
  private static String orgId;
  private static String otherOrgId;
  private static String datasourceId;
  private static List<Object[]> rows;
  private static List<String> lines;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void setUp(TestDatabase database) {
    db = database;
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(db.url().connectOptions())
        .using(vertx).build();
    s3 = S3ProxyServer.start("sightline-results");
    s3Client = s3.client();
    orgId = db.query("insert into orgs (name, slug) values ('Trading ops', 'trading-ops') returning id").get(0)
        .get("id").toString();
    otherOrgId = db.query("insert into orgs (name, slug) values ('Outages', 'outages') returning id").get(0)
        .get("id").toString();
    datasourceId = db.query("insert into datasources (org_id, name) values ('" + orgId + "', 'warehouse') returning id")
        .get(0).get("id").toString();
    rows = sampleRows(ROWS, 7);
    lines = rows.stream().map(ResultStorageTest::expectedLine).toList();
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

  // ---- tiers: write, record, read back ----------------------------------------------------------------------------

  @Test
  void smallResultStaysInPostgresAndReadsBackExactly() throws Exception {
    ResultStore store = new LocalDirectoryStore(vertx, tmp.resolve("unused"));
    // 96 KiB chunks: compressed on worker threads
    ResultSummary summary = write(new ResultWriter(vertx, store, newId(), ResultLimits.unlimited(), 96 << 10,
        8 << 20), rows);

    assertThat(summary.storage()).isEqualTo("postgres");
    assertThat(summary.location()).isNull();
    assertThat(summary.chunkCount()).isGreaterThan(2);
    assertThat(summary.inlineChunks()).hasSize(summary.chunkCount());
    assertConsistentIndex(summary, ROWS);
    insert(summary, newRun(orgId), expiresIn(1));

    assertThat(db.scalar("select count(*) from result_chunks where result_id = '" + summary.resultId() + "'"))
        .isEqualTo((long) summary.chunkCount());
    Map<String, Object> row = db.query("select storage, location, format_version, row_count, byte_count,"
        + " compressed_bytes, chunk_count, truncated, jsonb_array_length(chunk_index) as index_length,"
        + " columns->7->>'type' as doc_type from results where id = '" + summary.resultId() + "'").get(0);
    assertThat(row).containsEntry("storage", "postgres").containsEntry("location", null)
        .containsEntry("format_version", ChunkCodec.FORMAT_VERSION).containsEntry("row_count", (long) ROWS)
        .containsEntry("byte_count", summary.byteCount()).containsEntry("compressed_bytes", summary.compressedBytes())
        .containsEntry("chunk_count", summary.chunkCount()).containsEntry("truncated", false)
        .containsEntry("index_length", summary.chunkCount()).containsEntry("doc_type", "json");
    assertThat(summary.compressedBytes()).isLessThan(summary.byteCount() / 2);

    assertReadsBack(new ResultReader(vertx, pool, store), summary);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void chunksLargerThanAFrameAreWrittenAsFramesAndPagesReadAndDecodeOnlyTheirs(String kind) throws Exception {
    CountingStore store = new CountingStore(kind.equals("local") ? new LocalDirectoryStore(vertx, tmp.resolve("framed"))
        : new S3ResultStore(vertx, s3Client, s3.bucket(), "framed/"));
    ResultSummary summary = write(new ResultWriter(vertx, store, newId(), ResultLimits.unlimited(),
        ChunkCodec.FRAME_BYTES * 3 / 2, 0), rows);
    assertConsistentIndex(summary, ROWS);
    assertThat(summary.byteCount()).as("sample rows must fill several frames").isGreaterThan(2L * ChunkCodec.FRAME_BYTES);
    for (ChunkRef c : summary.chunks()) {
      if (c.bytes() > ChunkCodec.FRAME_BYTES) {
        assertThat(c.frames()).hasSizeGreaterThan(1);
      }
      if (!c.frames().isEmpty()) {
        assertThat(c.frames().stream().mapToLong(ChunkRef.Frame::rows).sum()).isEqualTo(c.rowCount());
        assertThat(c.frames().stream().mapToLong(ChunkRef.Frame::bytes).sum()).isEqualTo(c.bytes());
        assertThat(c.frames().stream().mapToLong(ChunkRef.Frame::compressedBytes).sum())
            .isEqualTo(c.compressedBytes());
        // every frame but the last is cut at the first line end past FRAME_BYTES
        c.frames().subList(0, c.frames().size() - 1)
            .forEach(f -> assertThat(f.bytes()).isBetween(ChunkCodec.FRAME_BYTES, 2 * ChunkCodec.FRAME_BYTES));
      }
    }
    insert(summary, newRun(orgId), expiresIn(1));
    ResultReader reader = new ResultReader(vertx, pool, store);
    assertReadsBack(reader, summary);
    // pages across every frame boundary; a page within one frame reads only that frame's bytes
    ChunkRef framed = summary.chunks().get(0);
    assertThat(framed.frames()).hasSizeGreaterThan(1);
    long boundary = framed.firstRow();
    long at = 0;
    for (ChunkRef.Frame frame : framed.frames()) {
      store.gets.clear();
      store.ranges.clear();
      assertThat(page(reader, orgId, summary.resultId(), boundary + 1, 1)).isEqualTo(expected(boundary + 1, 1));
      assertThat(store.gets).isEmpty();
      assertThat(store.ranges).containsExactly(framed.chunkNo() + ":" + at + "+" + frame.compressedBytes());
      boundary += frame.rows();
      at += frame.compressedBytes();
      assertThat(page(reader, orgId, summary.resultId(), boundary - 2, 4)).isEqualTo(expected(boundary - 2,
          (int) Math.min(4, ROWS - boundary + 2)));
    }
    // downloads decode whole chunks: every line, in order
    StringBuilder all = new StringBuilder();
    Await.result(reader.forEachChunk(orgId, summary.resultId(), chunk -> {
      all.append(chunk.toString());
      return Future.succeededFuture();
    }));
    assertThat(all.toString()).isEqualTo(String.join("", lines.stream().map(l -> l + "\n").toList()));
    if (kind.equals("local")) {
      // a chunk file cut short: a page of its last frame is refused as corrupt, not answered with wrong rows
      Path file = ((LocalDirectoryStore) store.delegate).chunkPath(summary.location(), framed.chunkNo());
      try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
          java.nio.file.StandardOpenOption.WRITE)) {
        channel.truncate(framed.compressedBytes() - 10);
      }
      assertThatThrownBy(() -> Await.result(reader.page(orgId, summary.resultId(), framed.endRow() - 1, 1)))
          .hasMessageContaining("corrupt result chunk");
    }
  }

  @Test
  void largeResultSpillsToALocalDirectory() throws Exception {
    Path dir = tmp.resolve("local-spill");
    ResultStore store = new LocalDirectoryStore(vertx, dir);
    ResultSummary summary = write(new ResultWriter(vertx, store, newId(), ResultLimits.unlimited(), 8 << 10,
        20_000), rows);

    assertThat(summary.storage()).isEqualTo("local");
    assertThat(summary.location()).isEqualTo(summary.resultId());
    assertThat(summary.inlineChunks()).isEmpty();
    assertConsistentIndex(summary, ROWS);
    // the spill came after some chunks were held: those went out too
    assertThat(summary.chunks().get(0).compressedBytes()).isLessThan(20_000);
    assertThat(files(dir.resolve(summary.resultId()))).containsExactlyInAnyOrderElementsOf(
        summary.chunks().stream().map(c -> c.chunkNo() + ".jsonl.zst").toList());
    insert(summary, newRun(orgId), expiresIn(1));
    assertThat(db.scalar("select count(*) from result_chunks where result_id = '" + summary.resultId() + "'"))
        .isEqualTo(0L);
    assertThat(db.scalar("select storage || ':' || location from results where id = '" + summary.resultId() + "'"))
        .isEqualTo("local:" + summary.resultId());

    assertReadsBack(new ResultReader(vertx, pool, store), summary);
  }

  @Test
  void largeResultSpillsToS3() throws Exception {
    S3ResultStore store = new S3ResultStore(vertx, s3Client, s3.bucket(), "results/");
    ResultSummary summary = write(new ResultWriter(vertx, store, newId(), ResultLimits.unlimited(), 32 << 10,
        30_000), rows);

    assertThat(summary.storage()).isEqualTo("s3");
    assertThat(summary.location()).isEqualTo(summary.resultId());
    assertConsistentIndex(summary, ROWS);
    assertThat(s3Keys("results/" + summary.resultId() + "/")).containsExactlyInAnyOrderElementsOf(
        summary.chunks().stream().map(c -> "results/" + summary.resultId() + "/" + c.chunkNo() + ".jsonl.zst")
            .toList());
    insert(summary, newRun(orgId), expiresIn(1));

    assertReadsBack(new ResultReader(vertx, pool, store), summary);
  }

  @Test
  void zeroInlineBytesSendsEveryChunkToTheObjectStoreAndPagesFetchOnlyWhatTheyTouch() throws Exception {
    CountingStore store = new CountingStore(new LocalDirectoryStore(vertx, tmp.resolve("counted")));
    ResultSummary summary = write(new ResultWriter(vertx, store, newId(), ResultLimits.unlimited(), 4 << 10, 0),
        rows);
    assertThat(summary.storage()).isEqualTo("local");
    assertThat(store.puts.get()).isEqualTo(summary.chunkCount());
    insert(summary, newRun(orgId), expiresIn(1));
    ResultReader reader = new ResultReader(vertx, pool, store);
    List<ChunkRef> chunks = summary.chunks();

    ChunkRef c2 = chunks.get(2);
    store.gets.clear();
    assertThat(page(reader, orgId, summary.resultId(), c2.firstRow() + 1, 3)).isEqualTo(expected(c2.firstRow() + 1, 3));
    assertThat(store.gets).containsExactly(2);

    ChunkRef c5 = chunks.get(5);
    store.gets.clear();
    assertThat(page(reader, orgId, summary.resultId(), c5.firstRow() - 2, 4)).isEqualTo(expected(c5.firstRow() - 2, 4));
    assertThat(store.gets).containsExactlyInAnyOrder(4, 5);

    ChunkRef last = chunks.get(chunks.size() - 1);
    store.gets.clear();
    assertThat(page(reader, orgId, summary.resultId(), ROWS - 1, 50)).isEqualTo(expected(ROWS - 1, 1));
    assertThat(store.gets).containsExactly(last.chunkNo());

    store.gets.clear();
    assertThat(page(reader, orgId, summary.resultId(), ROWS, 50)).isEqualTo("[]");
    assertThat(store.gets).isEmpty();
  }

  @Test
  void forEachChunkStreamsInOrderOneChunkAtATime() throws Exception {
    CountingStore store = new CountingStore(new LocalDirectoryStore(vertx, tmp.resolve("streamed")));
    ResultSummary summary = write(new ResultWriter(vertx, store, newId(), ResultLimits.unlimited(), 16 << 10, 0),
        rows);
    insert(summary, newRun(orgId), expiresIn(1));
    store.gets.clear();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    Await.result(new ResultReader(vertx, pool, store).forEachChunk(orgId, summary.resultId(), chunk -> {
      int n = calls.incrementAndGet();
      if (store.gets.size() != n) {
        violations.add("chunk " + n + " delivered after " + store.gets.size() + " fetches");
      }
      all.writeBytes(chunk.getBytes());
      Promise<Void> slowConsumer = Promise.promise();
      vertx.setTimer(5, t -> slowConsumer.complete());
      return slowConsumer.future();
    }));
    assertThat(violations).isEmpty();
    assertThat(calls.get()).isEqualTo(summary.chunkCount());
    assertThat(all.toString(StandardCharsets.UTF_8)).isEqualTo(String.join("\n", lines) + "\n");
  }

  @Test
  void reusedChunkArraysAndCompressionBuffersNeverMixChunksOrResults() throws Exception {
    // chunks above ChunkCodec.POOLED_BYTES, compressed on worker threads: each writer reuses its chunk arrays, and the
    // writers share the codec's pooled output arrays and zstd contexts; three results written at once must each read
    // back exactly, line for line
    ResultStore store = new LocalDirectoryStore(vertx, tmp.resolve("pooled"));
    int chunkBytes = ChunkCodec.POOLED_BYTES + (64 << 10);
    List<List<Object[]>> sources = List.of(sampleRows(12_000, 11), sampleRows(12_000, 12), sampleRows(12_000, 13));
    List<java.util.concurrent.CompletableFuture<ResultSummary>> writing = new ArrayList<>();
    for (List<Object[]> source : sources) {
      ResultWriter writer = new ResultWriter(vertx, store, newId(), ResultLimits.unlimited(), chunkBytes, 0);
      writing.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        feed(writer, vertx.getOrCreateContext(), source);
        return Await.result(writer.finish());
      }));
    }
    ResultReader reader = new ResultReader(vertx, pool, store);
    for (int i = 0; i < sources.size(); i++) {
      ResultSummary summary = writing.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(summary.chunkCount()).as("several chunks of several frames").isGreaterThan(MAX_CHUNKS_IN_FLIGHT + 2);
      assertThat(summary.chunks()).allSatisfy(c -> assertThat(c.frames()).hasSizeGreaterThan(1));
      insert(summary, newRun(orgId), expiresIn(1));
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      Await.result(reader.forEachChunk(orgId, summary.resultId(), chunk -> {
        all.writeBytes(chunk.getBytes());
        return Future.succeededFuture();
      }));
      String expected = String.join("\n", sources.get(i).stream().map(ResultStorageTest::expectedLine).toList()) + "\n";
      assertThat(all.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    }
  }

  // ---- limits -----------------------------------------------------------------------------------------------------

  @Test
  void maxRowsKeepsExactlyThatManyRows() throws Exception {
    ResultStore store = new LocalDirectoryStore(vertx, tmp.resolve("rows"));
    ResultWriter writer = new ResultWriter(vertx, store, newId(), new ResultLimits(1000, Long.MAX_VALUE), 8 << 10,
        1 << 20);
    Fed fed = feed(writer, rows.subList(0, 1500));
    ResultSummary summary = Await.result(writer.finish());
    assertThat(fed.offered).as("the connector stops right after the row that did not fit").isEqualTo(1001);
    assertThat(fed.fullAtEnd).isTrue();
    assertThat(summary.rowCount()).isEqualTo(1000);
    assertThat(summary.byteCount()).isEqualTo(bytes(0, 1000));
    assertThat(summary.truncated()).isTrue();
    assertThat(summary.truncatedReason()).isEqualTo("max_rows");
    assertConsistentIndex(summary, 1000);
    insert(summary, newRun(orgId), expiresIn(1));
    ResultPage page = Await.result(new ResultReader(vertx, pool, store).page(orgId, summary.resultId(), 990, 100));
    assertThat(page.totalRows()).isEqualTo(1000);
    assertThat(page.truncated()).isTrue();
    assertThat(page.truncatedReason()).isEqualTo("max_rows");
    assertThat(page.rowsJson().toString()).isEqualTo(expected(990, 10));
  }

  @Test
  void exactlyMaxRowsIsNotTruncated() {
    ResultWriter writer = new ResultWriter(vertx, new LocalDirectoryStore(vertx, tmp.resolve("x")), newId(),
        new ResultLimits(1500, Long.MAX_VALUE), 8 << 10, 1 << 20);
    Fed fed = feed(writer, rows.subList(0, 1500));
    ResultSummary summary = Await.result(writer.finish());
    assertThat(fed.offered).isEqualTo(1500);
    assertThat(summary.rowCount()).isEqualTo(1500);
    assertThat(summary.truncated()).isFalse();
    assertThat(summary.truncatedReason()).isNull();
  }

  @Test
  void maxBytesNeverExceededAndCountsWholeRows() {
    long first700 = bytes(0, 700);
    long row700 = bytes(700, 701);
    // one byte short of fitting row 700: 700 rows, truncated
    ResultSummary cut = writeAll(new ResultLimits(Long.MAX_VALUE, first700 + row700 - 1), rows.subList(0, 1500));
    assertThat(cut.rowCount()).isEqualTo(700);
    assertThat(cut.byteCount()).isEqualTo(first700);
    assertThat(cut.truncatedReason()).isEqualTo("max_bytes");
    assertThat(cut.chunks().stream().mapToLong(ChunkRef::bytes).sum()).isEqualTo(first700);
    // exactly room for row 700: 701 rows, still truncated (row 701 arrived and did not fit)
    ResultSummary exact = writeAll(new ResultLimits(Long.MAX_VALUE, first700 + row700), rows.subList(0, 1500));
    assertThat(exact.rowCount()).isEqualTo(701);
    assertThat(exact.byteCount()).isEqualTo(first700 + row700);
    assertThat(exact.truncatedReason()).isEqualTo("max_bytes");
    // a limit equal to the whole source: everything, not truncated
    ResultSummary whole = writeAll(new ResultLimits(Long.MAX_VALUE, bytes(0, 1500)), rows.subList(0, 1500));
    assertThat(whole.rowCount()).isEqualTo(1500);
    assertThat(whole.truncated()).isFalse();
    // the row limit wins when it comes first
    ResultSummary both = writeAll(new ResultLimits(10, first700), rows.subList(0, 1500));
    assertThat(both.rowCount()).isEqualTo(10);
    assertThat(both.truncatedReason()).isEqualTo("max_rows");
  }

  // ---- edge cases -------------------------------------------------------------------------------------------------

  @Test
  void emptyResultHasColumnsAndNoChunks() throws Exception {
    CountingStore store = new CountingStore(new LocalDirectoryStore(vertx, tmp.resolve("empty")));
    ResultSummary summary = write(new ResultWriter(vertx, store, newId(), ResultLimits.unlimited(), 4 << 10, 0),
        List.of());
    assertThat(summary.storage()).isEqualTo("postgres");
    assertThat(summary.chunks()).isEmpty();
    assertThat(summary.rowCount()).isZero();
    assertThat(summary.columns()).isEqualTo(COLUMNS);
    assertThat(store.puts.get()).isZero();
    insert(summary, newRun(orgId), expiresIn(1));

    ResultReader reader = new ResultReader(vertx, pool, store);
    ResultPage page = Await.result(reader.page(orgId, summary.resultId(), 0, 100));
    assertThat(page.columns()).isEqualTo(COLUMNS);
    assertThat(page.totalRows()).isZero();
    assertThat(page.rowsJson().toString()).isEqualTo("[]");
    AtomicInteger calls = new AtomicInteger();
    Await.result(reader.forEachChunk(orgId, summary.resultId(), b -> {
      calls.incrementAndGet();
      return Future.succeededFuture();
    }));
    assertThat(calls.get()).isZero();
  }

  @Test
  void anotherOrgCannotReadAResult() throws Exception {
    ResultStore store = new LocalDirectoryStore(vertx, tmp.resolve("orgs"));
    ResultSummary summary = write(new ResultWriter(vertx, store, newId(), ResultLimits.unlimited(), 8 << 10,
        1 << 20), rows.subList(0, 10));
    insert(summary, newRun(orgId), expiresIn(1));
    ResultReader reader = new ResultReader(vertx, pool, store);
    assertThat(page(reader, orgId, summary.resultId(), 0, 10)).isEqualTo(expected(0, 10));

    assertThatThrownBy(() -> Await.result(reader.page(otherOrgId, summary.resultId(), 0, 10)))
        .hasCauseInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> Await.result(reader.forEachChunk(otherOrgId, summary.resultId(),
        b -> Future.succeededFuture()))).hasCauseInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> Await.result(reader.page(orgId, UUID.randomUUID().toString(), 0, 10)))
        .hasCauseInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> Await.result(reader.page(orgId, "not-a-uuid", 0, 10)))
        .hasCauseInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> Await.result(reader.page(orgId, summary.resultId(), -1, 10)))
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Await.result(reader.page(orgId, summary.resultId(), 0, 0)))
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Await.result(reader.page(orgId, summary.resultId(), 0, 10_001)))
        .hasCauseInstanceOf(IllegalArgumentException.class);

    // the reader keeps the result's layout after the first page; expiry is still asked of the database every time
    db.execute("update results set expires_at = now() - interval '1 minute' where id = '" + summary.resultId() + "'");
    assertThatThrownBy(() -> Await.result(reader.page(orgId, summary.resultId(), 0, 10)))
        .hasCauseInstanceOf(NoSuchElementException.class);
  }

  @Test
  void rawNewlinesInsideJsonValuesDoNotBreakTheLines() {
    List<Object[]> source = List.of(
        row(1L, new RawJson("{\n  \"a\": [1,\n 2],\n  \"b\": \"x\\ny\"\n}")),
        row(2L, new RawJson("[\n]")));
    ResultSummary summary = writeAll(ResultLimits.unlimited(), source);
    String text = new String(ChunkCodec.decompress(summary.inlineChunks().get(0), summary.chunks().get(0).bytes()),
        StandardCharsets.UTF_8);
    String[] split = text.split("\n");
    assertThat(split).hasSize(2);
    JsonArray first = new JsonArray(split[0]);
    assertThat(first.getJsonObject(7).getJsonArray("a").getList()).containsExactly(1, 2);
    assertThat(first.getJsonObject(7).getString("b")).isEqualTo("x\ny");
    assertThat(new JsonArray(split[1]).getJsonArray(7)).isEmpty();
    assertThat(summary.byteCount()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void readyHoldsTheConnectorWhileTwoChunksAreInFlight() {
    GatedStore store = new GatedStore();
    ResultWriter writer = new ResultWriter(vertx, store, newId(), ResultLimits.unlimited(), 1024, 0);
    Context ctx = vertx.getOrCreateContext();
    Iterator<Object[]> source = rows.iterator();
    // rows until two sealed chunks wait on the store
    Future<Void> waiting = Await.result(onContext(ctx, () -> {
      writer.columns(COLUMNS);
      while (store.pending.size() < 2) {
        writer.row(source.next());
      }
      return Future.succeededFuture(writer.ready());
    }));
    assertThat(waiting.isComplete()).isFalse();
    store.releaseOne();
    Await.result(waiting);
    // the rest flows once the store keeps up
    store.autoRelease = true;
    store.releaseAll();
    ResultSummary summary = Await.result(onContext(ctx, () -> {
      source.forEachRemaining(writer::row);
      return writer.finish();
    }));
    assertThat(summary.rowCount()).isEqualTo(ROWS);
    assertThat(summary.storage()).isEqualTo("gated");
    assertThat(store.stored).hasSize(summary.chunkCount());
  }

  @Test
  void aSpillHandsHeldChunksToTheStoreAFewAtATime() {
    GatedStore store = new GatedStore();
    ResultWriter writer = new ResultWriter(vertx, store, newId(), ResultLimits.unlimited(), 1024, 20_000);
    Context ctx = vertx.getOrCreateContext();
    Iterator<Object[]> source = rows.iterator();
    Future<Void> waiting = Await.result(onContext(ctx, () -> {
      writer.columns(COLUMNS);
      while (store.pending.isEmpty()) {
        writer.row(source.next());
      }
      return Future.succeededFuture(writer.ready());
    }));
    assertThat(store.pending).hasSize(ResultWriter.MAX_UPLOADS);
    assertThat(waiting.isComplete()).isFalse();
    store.autoRelease = true;
    store.releaseAll();
    Await.result(waiting);
    ResultSummary summary = Await.result(onContext(ctx, () -> {
      source.forEachRemaining(writer::row);
      return writer.finish();
    }));
    assertThat(summary.storage()).isEqualTo("gated");
    assertThat(summary.chunkCount()).isGreaterThan(20);
    assertThat(store.stored.keySet()).containsExactlyInAnyOrderElementsOf(
        summary.chunks().stream().map(ChunkRef::chunkNo).toList());
  }

  @Test
  void aFailingStoreFailsTheWriterWithItsReason() {
    Path dir = tmp.resolve("failing");
    LocalDirectoryStore local = new LocalDirectoryStore(vertx, dir);
    ResultStore failing = new CountingStore(local) {
      @Override
      public Future<Void> put(String location, int chunkNo, Buffer compressed) {
        return chunkNo == 3 ? Future.failedFuture(new ResultStoreException("disk full (test)", null))
            : super.put(location, chunkNo, compressed);
      }
    };
    ResultWriter writer = new ResultWriter(vertx, failing, newId(), ResultLimits.unlimited(), 4 << 10, 0);
    Context ctx = vertx.getOrCreateContext();
    AtomicInteger offered = new AtomicInteger();
    Iterator<Object[]> it = rows.iterator();
    assertThatThrownBy(() -> Await.result(onContext(ctx, () -> {
      writer.columns(COLUMNS);
      return batches(writer, it, offered);
    }))).hasMessageContaining("disk full (test)");
    assertThat(offered.get()).as("the connector stops at the next ready()").isLessThan(ROWS);
    assertThat(writer.full()).as("not truncated: failed").isFalse();
    assertThatThrownBy(() -> Await.result(writer.finish())).hasMessageContaining("disk full (test)");
    Await.result(writer.abort());
    assertThat(Files.exists(dir.resolve(writer.resultId()))).isFalse();
  }

  // ---- abort and retention ----------------------------------------------------------------------------------------

  @Test
  void abortDeletesSpilledObjects() {
    Path dir = tmp.resolve("aborted");
    ResultStore store = new LocalDirectoryStore(vertx, dir);
    ResultWriter writer = new ResultWriter(vertx, store, newId(), ResultLimits.unlimited(), 4 << 10, 0);
    Context ctx = vertx.getOrCreateContext();
    // half a result, still streaming
    feed(writer, ctx, rows.subList(0, 1500));
    Await.result(onContext(ctx, writer::ready));
    assertThat(files(dir.resolve(writer.resultId()))).isNotEmpty();
    Await.result(writer.abort());
    assertThat(Files.exists(dir.resolve(writer.resultId()))).isFalse();
    assertThat(writer.full()).isTrue();
    assertThatThrownBy(() -> Await.result(writer.finish())).hasMessageContaining("aborted");

    // after finish (the run lost its lease before the result was recorded): S3 objects go too
    S3ResultStore s3Store = new S3ResultStore(vertx, s3Client, s3.bucket(), "aborted/");
    ResultWriter finished = new ResultWriter(vertx, s3Store, newId(), ResultLimits.unlimited(), 8 << 10, 10_000);
    ResultSummary summary = write(finished, rows);
    assertThat(summary.storage()).isEqualTo("s3");
    assertThat(s3Keys("aborted/" + summary.resultId() + "/")).hasSize(summary.chunkCount());
    Await.result(finished.abort());
    assertThat(s3Keys("aborted/" + summary.resultId() + "/")).isEmpty();
    // deleting again is fine
    Await.result(s3Store.delete(summary.resultId(), summary.chunkCount()));
    Await.result(store.delete(writer.resultId(), 5));
  }

  @Test
  void janitorDeletesExpiredResultsAndTheirObjectsOnly() throws Exception {
    Path dir = tmp.resolve("janitor");
    ResultStore store = new LocalDirectoryStore(vertx, dir);
    OffsetDateTime past = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5);
    String expiredRun = newRun(orgId);
    ResultSummary expired = spill(store);
    insert(expired, expiredRun, past);
    db.execute("update runs set result_id = '" + expired.resultId() + "' where id = '" + expiredRun + "'");
    ResultSummary expiredInline = write(new ResultWriter(vertx, store, newId(), ResultLimits.unlimited(), 4 << 10,
        1 << 20), rows.subList(0, 500));
    insert(expiredInline, newRun(otherOrgIdWithDatasource()), past.minusMinutes(1));
    ResultSummary pinned = spill(store);
    insert(pinned, newRun(orgId), past);
    db.execute("update results set pinned = true where id = '" + pinned.resultId() + "'");
    ResultSummary fresh = spill(store);
    insert(fresh, newRun(orgId), expiresIn(1));
    ResultSummary expiredToo = spill(store);
    insert(expiredToo, newRun(orgId), past.plusMinutes(1));

    assertThat(Await.result(ResultJanitor.deleteExpired(pool, store, 2))).isEqualTo(2);
    assertThat(Await.result(ResultJanitor.deleteExpired(pool, store, 2))).isEqualTo(1);
    assertThat(Await.result(ResultJanitor.deleteExpired(pool, store, 2))).isZero();

    for (ResultSummary gone : List.of(expired, expiredInline, expiredToo)) {
      assertThat(db.scalar("select count(*) from results where id = '" + gone.resultId() + "'")).isEqualTo(0L);
      assertThat(Files.exists(dir.resolve(gone.resultId()))).isFalse();
    }
    assertThat(db.scalar("select count(*) from result_chunks where result_id = '" + expiredInline.resultId() + "'"))
        .isEqualTo(0L);
    assertThat(db.scalar("select result_id is null from runs where id = '" + expiredRun + "'")).isEqualTo(true);
    for (ResultSummary kept : List.of(pinned, fresh)) {
      assertThat(db.scalar("select count(*) from results where id = '" + kept.resultId() + "'")).isEqualTo(1L);
      assertThat(files(dir.resolve(kept.resultId()))).hasSize(kept.chunkCount());
    }
    ResultReader reader = new ResultReader(vertx, pool, store);
    assertThat(page(reader, orgId, pinned.resultId(), 0, 5)).isEqualTo(expected(0, 5));
    assertThatThrownBy(() -> Await.result(reader.page(orgId, expired.resultId(), 0, 5)))
        .hasCauseInstanceOf(NoSuchElementException.class);
  }

  // ---- stores -----------------------------------------------------------------------------------------------------

  @Test
  void storesAreBuiltFromConfiguration() {
    SightlineConfig local = TestConfigs.config(db, Map.of("SIGHTLINE_HOME", tmp.resolve("home").toString()));
    ResultStore localStore = ResultStores.create(vertx, local);
    assertThat(localStore.kind()).isEqualTo("local");
    assertThat(((LocalDirectoryStore) localStore).directory()).isEqualTo(tmp.resolve("home/results").toAbsolutePath());
    SightlineConfig elsewhere = TestConfigs.config(db, Map.of("SIGHTLINE_RESULTS_DIRECTORY",
        tmp.resolve("elsewhere").toString()));
    assertThat(((LocalDirectoryStore) ResultStores.create(vertx, elsewhere)).directory())
        .isEqualTo(tmp.resolve("elsewhere").toAbsolutePath());

    SightlineConfig withS3 = TestConfigs.config(db, Map.of(
        "SIGHTLINE_S3_ENDPOINT", s3.endpoint().toString(), "SIGHTLINE_S3_BUCKET", s3.bucket(),
        "SIGHTLINE_S3_ACCESS_KEY", S3ProxyServer.ACCESS_KEY, "SIGHTLINE_S3_SECRET_KEY", S3ProxyServer.SECRET_KEY,
        "SIGHTLINE_S3_PREFIX", "configured/"));
    ResultStore s3Store = ResultStores.create(vertx, withS3);
    try {
      assertThat(s3Store.kind()).isEqualTo("s3");
      Buffer data = ChunkCodec.compress("[1]\n".getBytes(StandardCharsets.UTF_8), 0, 4);
      Await.result(s3Store.put("abc", 0, data));
      assertThat(s3Keys("configured/abc/")).containsExactly("configured/abc/0.jsonl.zst");
      assertThat(Await.result(s3Store.get("abc", 0)).getBytes()).isEqualTo(data.getBytes());
      Await.result(s3Store.delete("abc", 1));
      assertThat(s3Keys("configured/abc/")).isEmpty();
    } finally {
      s3Store.close();
    }
  }

  @Test
  void storeErrorsSayWhatFailedAndWhy() {
    S3ResultStore noBucket = new S3ResultStore(vertx, s3Client, "no-such-bucket", "results/");
    assertThatThrownBy(() -> Await.result(noBucket.put("r1", 0, Buffer.buffer("x"))))
        .cause().isInstanceOf(ResultStoreException.class)
        .hasMessageContaining("S3 put s3://no-such-bucket/results/r1/0.jsonl.zst failed: HTTP 404 NoSuchBucket");
    S3ResultStore store = new S3ResultStore(vertx, s3Client, s3.bucket(), "results/");
    assertThatThrownBy(() -> Await.result(store.get("missing", 3)))
        .cause().isInstanceOf(ResultStoreException.class)
        .hasMessageContaining("s3://" + s3.bucket() + "/results/missing/3.jsonl.zst").hasMessageContaining("not found");
    LocalDirectoryStore local = new LocalDirectoryStore(vertx, tmp.resolve("errors"));
    assertThatThrownBy(() -> Await.result(local.get("missing", 3)))
        .cause().isInstanceOf(ResultStoreException.class)
        .hasMessageContaining("chunk 3 of result missing not found");
    assertThatThrownBy(() -> Await.result(local.put("../escape", 0, Buffer.buffer("x"))))
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  // ---- helpers ----------------------------------------------------------------------------------------------------

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  private static OffsetDateTime expiresIn(int hours) {
    return OffsetDateTime.now(ZoneOffset.UTC).plusHours(hours);
  }

  private static String otherOrgDatasource;

  private static synchronized String otherOrgIdWithDatasource() {
    if (otherOrgDatasource == null) {
      otherOrgDatasource = db.query("insert into datasources (org_id, name) values ('" + otherOrgId
          + "', 'grid') returning id").get(0).get("id").toString();
    }
    return otherOrgId;
  }

  /** A succeeded run of {@code org} to hang a result on. */
  private static String newRun(String org) {
    String ds = org.equals(orgId) ? datasourceId : otherOrgDatasource;
    return db.query("insert into runs (org_id, datasource_id, sql, options, fingerprint, trigger, status, attempt,"
        + " started_at, finished_at) values ('" + org + "', '" + ds + "', 'select 1', '{}', '" + UUID.randomUUID()
        + "', 'manual', 'succeeded', 1, now(), now()) returning id").get(0).get("id").toString();
  }

  private static void insert(ResultSummary summary, String runId, OffsetDateTime expiresAt) {
    String org = db.scalar("select org_id from runs where id = '" + runId + "'").toString();
    Await.result(pool.withTransaction(conn -> io.sightline.testkit.StoredResults.insert(conn, summary, runId, org, expiresAt)));
  }

  private static ResultSummary spill(ResultStore store) {
    return write(new ResultWriter(vertx, store, newId(), ResultLimits.unlimited(), 4 << 10, 0),
        rows.subList(0, 300));
  }

  private static ResultSummary writeAll(ResultLimits limits, List<Object[]> source) {
    ResultWriter writer = new ResultWriter(vertx, new LocalDirectoryStore(vertx, tmp.resolve("limits")), newId(),
        limits, 8 << 10, 1 << 20);
    feed(writer, source);
    return Await.result(writer.finish());
  }

  /** Writes {@code source} like a connector would (batches, waiting on ready()), then finishes. */
  private static ResultSummary write(ResultWriter writer, List<Object[]> source) {
    feed(writer, source);
    return Await.result(writer.finish());
  }

  record Fed(int offered, boolean fullAtEnd) {}

  private static Fed feed(ResultWriter writer, List<Object[]> source) {
    return feed(writer, vertx.getOrCreateContext(), source);
  }

  /** On {@code ctx}: columns, then batches of 100 rows, each after ready(), stopping once the writer is full. */
  private static Fed feed(ResultWriter writer, Context ctx, List<Object[]> source) {
    AtomicInteger offered = new AtomicInteger();
    Iterator<Object[]> it = source.iterator();
    Await.result(onContext(ctx, () -> {
      writer.columns(COLUMNS);
      return batches(writer, it, offered);
    }));
    return new Fed(offered.get(), Await.result(onContext(ctx, () -> Future.succeededFuture(writer.full()))));
  }

  private static Future<Void> batches(ResultWriter writer, Iterator<Object[]> it, AtomicInteger offered) {
    for (int i = 0; i < 100 && it.hasNext(); i++) {
      if (writer.full()) {
        return Future.succeededFuture();
      }
      writer.row(it.next());
      offered.incrementAndGet();
    }
    if (!it.hasNext() || writer.full()) {
      return Future.succeededFuture();
    }
    return writer.ready().compose(v -> batches(writer, it, offered));
  }

  private static <T> Future<T> onContext(Context ctx, Supplier<Future<T>> action) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> {
      try {
        action.get().onComplete(p);
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  private static String page(ResultReader reader, String org, String id, long offset, int limit) {
    ResultPage page = Await.result(reader.page(org, id, offset, limit));
    assertThat(page.offset()).isEqualTo(offset);
    return page.rowsJson().toString(StandardCharsets.UTF_8);
  }

  /** The JSON array text of source rows {@code from .. from+n-1}. */
  private static String expected(long from, int n) {
    return "[" + String.join(",", lines.subList((int) from, (int) Math.min(lines.size(), from + n))) + "]";
  }

  private static void assertReadsBack(ResultReader reader, ResultSummary summary) {
    String id = summary.resultId();
    ResultPage start = Await.result(reader.page(orgId, id, 0, 100));
    assertThat(start.columns()).isEqualTo(COLUMNS);
    assertThat(start.totalRows()).isEqualTo(ROWS);
    assertThat(start.truncated()).isFalse();
    assertThat(start.rowsJson().toString()).isEqualTo(expected(0, 100));
    assertThat(new JsonArray(start.rowsJson())).hasSize(100);

    ChunkRef second = summary.chunks().get(1);
    assertThat(page(reader, orgId, id, second.firstRow() - 3, 10)).isEqualTo(expected(second.firstRow() - 3, 10));
    ChunkRef last = summary.chunks().get(summary.chunkCount() - 1);
    assertThat(page(reader, orgId, id, last.firstRow() - 1, 2)).isEqualTo(expected(last.firstRow() - 1, 2));
    assertThat(page(reader, orgId, id, ROWS - 37, 100)).isEqualTo(expected(ROWS - 37, 37));
    assertThat(page(reader, orgId, id, ROWS, 100)).isEqualTo("[]");
    String everything = page(reader, orgId, id, 0, 10_000);
    assertThat(everything).isEqualTo(expected(0, ROWS));
    JsonArray parsed = new JsonArray(everything);
    assertThat(parsed).hasSize(ROWS);
    assertThat(parsed.getJsonArray(97).getValue(0)).isEqualTo(Long.toString((1L << 53) + 97));
  }

  private static void assertConsistentIndex(ResultSummary summary, long rowCount) {
    long next = 0;
    long bytes = 0;
    long compressed = 0;
    for (int i = 0; i < summary.chunkCount(); i++) {
      ChunkRef c = summary.chunks().get(i);
      assertThat(c.chunkNo()).isEqualTo(i);
      assertThat(c.firstRow()).isEqualTo(next);
      assertThat(c.rowCount()).isPositive();
      next += c.rowCount();
      bytes += c.bytes();
      compressed += c.compressedBytes();
      assertThat(ChunkRef.fromJson(c.toJson())).isEqualTo(c);
    }
    assertThat(next).isEqualTo(rowCount);
    assertThat(summary.rowCount()).isEqualTo(rowCount);
    assertThat(bytes).isEqualTo(summary.byteCount()).isEqualTo(bytes(0, (int) rowCount));
    assertThat(compressed).isEqualTo(summary.compressedBytes());
  }

  private static long bytes(int from, int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      n += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
    }
    return n;
  }

  private static List<String> files(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> s3Keys(String prefix) {
    return s3Client.listObjectsV2(b -> b.bucket(s3.bucket()).prefix(prefix)).join().contents().stream()
        .map(S3Object::key).toList();
  }

  // ---- sample data ------------------------------------------------------------------------------------------------

  static Object[] row(long id, Object doc) {
    return new Object[] {id, 1L, BigDecimal.ONE, 1.0, true, "x", "2026-01-01T00:00:00Z", doc, List.of()};
  }

  /** Mixed rows of every value kind, with the edge cases of the value rules sprinkled in. */
  static List<Object[]> sampleRows(int n, long seed) {
    Random r = new Random(seed);
    String[] names = {"AAPL", "Zürich ☀ grid", "say \"hi\"", "back\\slash", "tab\there", "two\nlines", "", "é€😀"};
    List<Object[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object id = i % 97 == 0 && i > 0 ? (1L << 53) + i : (long) i;
      Object num = r.nextInt(8) == 0 ? null : (long) r.nextInt();
      Object price = i % 50 == 0 ? new BigDecimal("12345678901234567890.0123456789").add(BigDecimal.valueOf(i))
          : BigDecimal.valueOf(r.nextInt(10_000_000), 2);
      Object ratio = i % 200 == 0 ? Double.NaN : i % 201 == 0 ? Double.NEGATIVE_INFINITY : r.nextGaussian() * 1000;
      Object ok = r.nextInt(5) == 0 ? null : r.nextBoolean();
      String name = names[r.nextInt(names.length)] + (r.nextInt(20) == 0 ? "x".repeat(r.nextInt(400)) : "");
      String at = Instant.ofEpochSecond(1_767_225_600L + i * 37L).toString();
      Object doc = i % 10 == 0 ? new RawJson("{\n  \"k\": " + i + ",\n  \"nested\": [1, {\"x\": \"y\"}]\n}")
          : i % 3 == 0 ? null : new RawJson("{\"k\":" + i + "}");
      Object tags = i % 4 == 0 ? Arrays.asList("a", null, "b" + i)
          : i % 7 == 0 ? List.of(List.of("m", "n"), List.of("o", "p")) : Collections.emptyList();
      out.add(new Object[] {id, num, price, ratio, ok, name, at, doc, tags});
    }
    return out;
  }

  /** How a stored row reads back: its JSON line, with raw newlines of json values turned into spaces. */
  static String expectedLine(Object[] row) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new JsonRowEncoder(out).write(row);
    String text = out.toString(StandardCharsets.UTF_8);
    return text.substring(0, text.length() - 1).replace('\n', ' ');
  }

  // ---- stores for tests -------------------------------------------------------------------------------------------

  /** Counts puts and records which chunks were fetched. */
  static class CountingStore implements ResultStore {
    final ResultStore delegate;
    final AtomicInteger puts = new AtomicInteger();
    final List<Integer> gets = new CopyOnWriteArrayList<>();

    CountingStore(ResultStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public String kind() {
      return delegate.kind();
    }

    @Override
    public Future<Void> put(String location, int chunkNo, Buffer compressed) {
      puts.incrementAndGet();
      return delegate.put(location, chunkNo, compressed);
    }

    @Override
    public Future<Buffer> get(String location, int chunkNo) {
      gets.add(chunkNo);
      return delegate.get(location, chunkNo);
    }

    /** Ranged reads, as {@code chunkNo:offset+length}. */
    final List<String> ranges = new CopyOnWriteArrayList<>();

    @Override
    public Future<Buffer> get(String location, int chunkNo, long offset, int length) {
      ranges.add(chunkNo + ":" + offset + "+" + length);
      return delegate.get(location, chunkNo, offset, length);
    }

    @Override
    public Future<Void> delete(String location, int chunkCount) {
      return delegate.delete(location, chunkCount);
    }

    @Override
    public Future<Void> listLocations(int pageSize, Function<List<String>, Future<Void>> eachPage) {
      return delegate.listLocations(pageSize, eachPage);
    }

    @Override
    public Future<Boolean> deleteAllIfUnmodifiedSince(String location, Instant cutoff) {
      return delegate.deleteAllIfUnmodifiedSince(location, cutoff);
    }
  }

  /** Holds every put until the test releases it. */
  static final class GatedStore implements ResultStore {
    final List<Promise<Void>> pending = new CopyOnWriteArrayList<>();
    final Map<Integer, Buffer> stored = new java.util.concurrent.ConcurrentHashMap<>();
    volatile boolean autoRelease;

    @Override
    public String kind() {
      return "gated";
    }

    @Override
    public Future<Void> put(String location, int chunkNo, Buffer compressed) {
      stored.put(chunkNo, compressed);
      if (autoRelease) {
        return Future.succeededFuture();
      }
      Promise<Void> p = Promise.promise();
      pending.add(p);
      return p.future();
    }

    void releaseOne() {
      pending.remove(0).complete();
    }

    void releaseAll() {
      while (!pending.isEmpty()) {
        releaseOne();
      }
    }

    @Override
    public Future<Buffer> get(String location, int chunkNo) {
      return Future.succeededFuture(stored.get(chunkNo));
    }

    @Override
    public Future<Void> delete(String location, int chunkCount) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> listLocations(int pageSize, Function<List<String>, Future<Void>> eachPage) {
      return Future.failedFuture(new UnsupportedOperationException("the gated store lists nothing"));
    }

    @Override
    public Future<Boolean> deleteAllIfUnmodifiedSince(String location, Instant cutoff) {
      return Future.succeededFuture(false);
    }
  }
}
