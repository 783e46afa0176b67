package io.sightline.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.result.JsonRowEncoder;
import io.sightline.testkit.Await;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Golden files, like Grafana's {@code testdata/*.sql} + {@code *.golden.jsonc}: each {@code golden/NAME.sql} runs
 * against Postgres the way the connector runs user SQL (prepared, then read through a cursor in batches), its rows go
 * through {@link PgValues} and {@link JsonRowEncoder}, and the outcome must equal {@code golden/NAME.golden.json}.
 *
 * <p>{@code NAME.sql} is one query, optionally preceded by setup statements (CREATE TYPE, SET TimeZone...) and a line
 * {@code -- query}. Everything runs in one transaction that is rolled back, so files cannot see each other's types.
 * The golden files are the specification of what users see: review a change to one like a change to an API.
 *
 * <p>Regenerate after a deliberate change: {@code mvn -Dskip.web test -pl connector-postgres -Dtest=GoldenFileTest
 * -Dsightline.updateGolden=true}, then read the diff.
 */
@ExtendWith(PostgresExtension.class)
class GoldenFileTest {
  static final String UPDATE_PROPERTY = "sightline.updateGolden";
  /** Small on purpose, so that multi-row files cross batch boundaries as large results do. */
  private static final int BATCH_ROWS = 2;
  private static final String QUERY_MARKER = "-- query";
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      // 1.50 and 1.5 are different outputs of a numeric(_, 2) column
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void connect(TestDatabase db) {
    vertx = Vertx.vertx();
    PgConnectOptions options = new PgConnectOptions()
        .setHost(db.url().host())
        .setPort(db.url().port())
        .setDatabase(db.url().database())
        .setUser(db.url().user())
        .setPassword(db.url().password().value());
    pool = PgBuilder.pool().connectingTo(options).using(vertx).build();
  }

  @AfterAll
  static void close() {
    if (pool != null) {
      Await.result(pool.close());
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @TestFactory
  Stream<DynamicTest> everySqlFileGivesItsGoldenResult() throws IOException {
    Path dir = goldenDir();
    List<Path> sqlFiles;
    try (Stream<Path> files = Files.list(dir)) {
      sqlFiles = files.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
    }
    assertThat(sqlFiles).as("golden SQL files in " + dir).isNotEmpty();
    return sqlFiles.stream().map(sql -> DynamicTest.dynamicTest(name(sql), sql.toUri(), () -> check(sql)));
  }

  private static void check(Path sqlFile) throws IOException {
    String name = name(sqlFile);
    String actual = run(Files.readString(sqlFile, StandardCharsets.UTF_8));
    Path golden = sqlFile.resolveSibling(name + ".golden.json");
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
      return;
    }
    if (Files.exists(golden) && sameJson(Files.readString(golden, StandardCharsets.UTF_8), actual)) {
      return;
    }
    Path written = Path.of("target", "golden-actual", name + ".golden.json").toAbsolutePath();
    Files.createDirectories(written.getParent());
    Files.writeString(written, actual, StandardCharsets.UTF_8);
    throw new AssertionError((Files.exists(golden) ? "result differs from " : "no golden file ") + golden
        + "\nactual result written to " + written
        + "\nif the change is intended, regenerate the golden files and review the diff:"
        + "\n  mvn -Dskip.web test -pl connector-postgres -Dtest=GoldenFileTest -D" + UPDATE_PROPERTY + "=true"
        + "\nactual:\n" + abbreviate(actual));
  }

  /** Runs one golden SQL file the way the connector runs a query and renders its golden JSON. */
  static String run(String file) {
    int marker = file.indexOf("\n" + QUERY_MARKER + "\n");
    String setup = marker < 0 ? "" : file.substring(0, marker);
    String query = (marker < 0 ? file : file.substring(marker + QUERY_MARKER.length() + 2)).strip();
    if (query.endsWith(";")) {
      query = query.substring(0, query.length() - 1);
    }
    String select = query;
    Future<Result> outcome = pool.withTransaction(conn -> setup(conn, setup)
        .compose(v -> conn.prepare(select))
        .compose(ps -> readAll(ps.cursor(), new Result()))
        // the setup (types, settings) must not outlive this file
        .compose(r -> Future.<Result>failedFuture(new Rollback(r))));
    Result result = Await.result(outcome.recover(err -> err instanceof Rollback rb
        ? Future.succeededFuture(rb.result) : Future.failedFuture(err)));
    return render(result);
  }

  private static Future<Void> setup(SqlConnection conn, String setup) {
    boolean onlyComments = setup.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("--"));
    return onlyComments ? Future.succeededFuture() : conn.query(setup).execute().mapEmpty();
  }

  private static Future<Result> readAll(Cursor cursor, Result result) {
    return cursor.read(BATCH_ROWS).compose(rows -> {
      result.add(rows);
      return cursor.hasMore() ? readAll(cursor, result) : cursor.close().map(result);
    });
  }

  private static final class Result {
    List<ColumnMeta> columns;
    final ByteArrayOutputStream lines = new ByteArrayOutputStream();
    final JsonRowEncoder encoder = new JsonRowEncoder(lines);

    void add(RowSet<Row> rows) {
      if (columns == null) {
        columns = PgValues.columns(rows.columnDescriptors());
      }
      for (Row row : rows) {
        encoder.write(PgValues.row(row, columns));
      }
    }
  }

  /** A rollback carrying the outcome out of {@code withTransaction}. */
  private static final class Rollback extends RuntimeException {
    final transient Result result;

    Rollback(Result result) {
      super("rollback", null, false, false);
      this.result = result;
    }
  }

  /** One column per line and one row per line (each row exactly as JsonRowEncoder wrote it), to review diffs. */
  private static String render(Result result) {
    result.encoder.close();
    StringBuilder sb = new StringBuilder("{\n  \"columns\": [");
    for (int i = 0; i < result.columns.size(); i++) {
      sb.append(i == 0 ? "\n    " : ",\n    ").append(result.columns.get(i).toJson().encode());
    }
    sb.append(result.columns.isEmpty() ? "],\n" : "\n  ],\n").append("  \"rows\": [");
    List<String> rows = new ArrayList<>(result.lines.toString(StandardCharsets.UTF_8).lines().toList());
    for (int i = 0; i < rows.size(); i++) {
      sb.append(i == 0 ? "\n    " : ",\n    ").append(rows.get(i));
    }
    return sb.append(rows.isEmpty() ? "]\n}\n" : "\n  ]\n}\n").toString();
  }

  /** Compares as JSON values, formatting ignored; numbers must match digit for digit (1.50 is not 1.5). */
  private static boolean sameJson(String expected, String actual) {
    try {
      JsonNode e = MAPPER.readTree(expected);
      JsonNode a = MAPPER.readTree(actual);
      return MAPPER.writeValueAsString(e).equals(MAPPER.writeValueAsString(a));
    } catch (IOException ex) {
      throw new UncheckedIOException("invalid JSON in a golden file", ex);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 4000 ? s : s.substring(0, 4000) + "\n... (" + s.length() + " chars)";
  }

  private static String name(Path sqlFile) {
    String file = sqlFile.getFileName().toString();
    return file.substring(0, file.length() - ".sql".length());
  }

  private static Path goldenDir() {
    Path local = Path.of("src", "test", "resources", "golden");
    if (Files.isDirectory(local)) {
      return local.toAbsolutePath();
    }
    return Path.of(System.getProperty("sightline.project.root", "."), "connector-postgres", "src", "test",
        "resources", "golden").toAbsolutePath();
  }
}
