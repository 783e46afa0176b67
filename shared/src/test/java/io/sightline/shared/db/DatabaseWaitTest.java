package io.sightline.shared.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.shared.config.ConfigException;
import io.sightline.shared.config.DatabaseUrl;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class DatabaseWaitTest {

  @Test
  void reachableDatabaseReturnsAtOnce(TestDatabase db) {
    long started = System.nanoTime();
    DatabaseWait.untilReachable(db.url(), Duration.ofSeconds(5));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void unreachableDatabaseFailsAfterTheBoundWithAClearMessage() {
    DatabaseUrl closed = DatabaseUrl.of("127.0.0.1", FreePorts.next(), "meta", "app", "pw");
    long started = System.nanoTime();
    assertThatThrownBy(() -> DatabaseWait.untilReachable(closed, Duration.ofSeconds(2)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SIGHTLINE_DATABASE_URL")
        .hasMessageContaining("still unreachable after 2 s")
        .hasMessageContaining("Connection refused");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(8));
  }

  @Test
  void missingDatabaseFailsAtOnceWithoutWaiting(TestDatabase db) {
    DatabaseUrl missing = db.url().withDatabase("no_such_database");
    long started = System.nanoTime();
    assertThatThrownBy(() -> DatabaseWait.untilReachable(missing, Duration.ofSeconds(30)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("refused the connection")
        .hasMessageContaining("does not exist");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }
}
