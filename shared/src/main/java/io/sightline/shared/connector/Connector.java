package io.sightline.shared.connector;

/**
 * The plugin boundary between Sightline and a kind of datasource (DESIGN.md §4). Implementations live in their own
 * module ({@code connector-postgres}), are registered in {@code META-INF/services/io.sightline.shared.connector.Connector}
 * and found by runners with {@link java.util.ServiceLoader}; nothing else in Sightline imports them. A connector knows
 * nothing of runs, queues or HTTP.
 *
 * <p>The contract grows with the capabilities that use it: connection tests and schema introspection, then streaming
 * execution and cancellation. Every type crossing it is a plain JSON-serialisable record so a connector can later move
 * out of process without changing the api or the run model.
 */
public interface Connector {

  /** The datasource kind this connector serves, as stored in {@code datasources.kind} (e.g. {@code "postgres"}). */
  String kind();
}
