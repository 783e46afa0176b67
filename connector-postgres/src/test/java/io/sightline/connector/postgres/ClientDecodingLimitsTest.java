package io.sightline.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.Await;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import java.time.DateTimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Values vertx-pg-client 5.0.7 cannot decode at all, so no golden file can show them: the read fails with the
 * decoder's exception and the client closes the connection. The connector must report such a run as failed (and
 * never reuse the connection). These tests pin the behaviour so that a client upgrade that changes it is noticed.
 */
@ExtendWith(PostgresExtension.class)
class ClientDecodingLimitsTest {
  private static Vertx vertx;
  private static PgConnectOptions options;

  @BeforeAll
  static void start(TestDatabase db) {
    vertx = Vertx.vertx();
    options = new PgConnectOptions().setHost(db.url().host()).setPort(db.url().port())
        .setDatabase(db.url().database()).setUser(db.url().user()).setPassword(db.url().password().value());
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void numericInfinityFailsTheReadAndClosesTheConnection() {
    SqlConnection conn = Await.result(PgConnection.connect(vertx, options));
    Throwable failure = failureOf(read(conn, "select 'Infinity'::numeric"));
    assertThat(failure).isInstanceOf(NumberFormatException.class);
    assertThat(failureOf(conn.query("select 1").execute().mapEmpty())).hasMessageContaining("CLOSED");
  }

  @Test
  void time2400FailsTheRead() {
    SqlConnection conn = Await.result(PgConnection.connect(vertx, options));
    assertThat(failureOf(read(conn, "select '24:00:00'::time"))).isInstanceOf(DateTimeException.class);
  }

  @Test
  void twoDimensionalNumericArrayFailsTheRead() {
    SqlConnection conn = Await.result(PgConnection.connect(vertx, options));
    assertThat(failureOf(read(conn, "select array[[1.5, 2], [3, 4]]::numeric[]")))
        .isInstanceOf(NumberFormatException.class);
  }

  /** Reads a query as the connector does: prepared, then a cursor, in a transaction. */
  private static Future<Void> read(SqlConnection conn, String sql) {
    return conn.begin().compose(tx -> conn.prepare(sql)
        .compose(ps -> ps.cursor().read(100))
        .mapEmpty());
  }

  private static Throwable failureOf(Future<Void> future) {
    try {
      Await.result(future);
    } catch (AssertionError e) {
      return e.getCause();
    }
    throw new AssertionError("expected the read to fail");
  }
}
