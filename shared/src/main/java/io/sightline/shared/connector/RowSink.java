package io.sightline.shared.connector;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where a connector streams a result (the runner's result writer). Calls come on the connector's event-loop context,
 * in order: {@link #columns} once, then {@link #row} for each row. Back-pressure: the connector reads its next batch
 * only after {@link #ready()} completes; it stops reading as soon as {@link #full()} is true (a row or byte limit was
 * reached — the result is kept and marked truncated by the writer).
 */
public interface RowSink {

  /** The result's columns, before any row (also for an empty result). */
  void columns(List<ColumnMeta> columns);

  /** One row of values typed as {@link ColumnMeta} describes (null for SQL NULL); the array is the sink's to keep. */
  void row(Object[] values);

  /**
   * Whether the sink takes rows already encoded as lines ({@link #line}): a connector that reads rows as text (Postgres'
   * COPY) then writes each one straight into the result's encoding instead of making a Java object of every value.
   */
  default boolean takesLines() {
    return false;
  }

  /**
   * One row as its JSON line, newline included ({@code line[offset..offset+length)}, exactly what the result format
   * stores for the row's values: docs/result-format.md), instead of {@link #row}; only when {@link #takesLines()}. The
   * bytes are copied before the call returns.
   */
  default void line(byte[] line, int offset, int length) {
    throw new UnsupportedOperationException("this sink takes rows, not lines");
  }

  /** Completes when the sink can take another batch (immediately when it is not busy). */
  Future<Void> ready();

  /** Whether the sink has reached a limit and wants no more rows. */
  boolean full();
}
