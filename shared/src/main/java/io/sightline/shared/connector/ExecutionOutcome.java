package io.sightline.shared.connector;

/**
 * How an execution ended normally: all rows read, or reading stopped early because the sink was full.
 *
 * @param rowsRead rows handed to the sink
 * @param stoppedEarly the sink reported {@link RowSink#full()} and the cursor was closed
 * @param affectedRows for a statement that returns no rows (INSERT, UPDATE or DELETE without RETURNING, DDL, SET,
 *     LISTEN…): the row count its command reported (Postgres {@code INSERT 0 1} → 1; 0 for commands without a count),
 *     and the sink was given zero columns; {@link #NO_COMMAND} when the statement returned a result (possibly empty)
 */
public record ExecutionOutcome(long rowsRead, boolean stoppedEarly, long affectedRows) {
  /** {@link #affectedRows} of a statement that returned a result rather than a command's row count. */
  public static final long NO_COMMAND = -1;

  /** The outcome of a statement that returned a result. */
  public ExecutionOutcome(long rowsRead, boolean stoppedEarly) {
    this(rowsRead, stoppedEarly, NO_COMMAND);
  }

  /** The outcome of a statement that returned no rows, only its command's row count. */
  public static ExecutionOutcome command(long affectedRows) {
    return new ExecutionOutcome(0, false, affectedRows);
  }

  /** Whether the statement returned no result, only a command's row count. */
  public boolean isCommand() {
    return affectedRows != NO_COMMAND;
  }
}
