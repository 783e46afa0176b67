package io.sightline.shared.connector;

/**
 * How an execution ended normally: all rows read, or reading stopped early because the sink was full.
 *
 * @param rowsRead rows handed to the sink
 * @param stoppedEarly the sink reported {@link RowSink#full()} and the cursor was closed
 */
public record ExecutionOutcome(long rowsRead, boolean stoppedEarly) {}
