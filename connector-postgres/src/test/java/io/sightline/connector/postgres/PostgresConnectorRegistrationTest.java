package io.sightline.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.connector.Connectors;
import org.junit.jupiter.api.Test;

class PostgresConnectorRegistrationTest {

  @Test
  void runnersFindThePostgresConnectorThroughServiceLoader() {
    assertThat(Connectors.load().forKind("postgres")).get().isInstanceOf(PostgresConnector.class);
  }
}
