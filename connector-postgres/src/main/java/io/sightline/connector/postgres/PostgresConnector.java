package io.sightline.connector.postgres;

import io.sightline.shared.connector.Connector;

/** Runs user SQL against Postgres datasources for the runners (found through ServiceLoader). */
public final class PostgresConnector implements Connector {
  public static final String KIND = "postgres";

  @Override
  public String kind() {
    return KIND;
  }
}
