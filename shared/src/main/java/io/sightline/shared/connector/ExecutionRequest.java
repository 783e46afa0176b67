package io.sightline.shared.connector;

import java.util.List;

/**
 * One execution of SQL for a run.
 *
 * @param runId the run (tags the session: {@code application_name = sightline-run-<runId>})
 * @param sql SQL with positional placeholders ({@code $1}, {@code $2}, …), never values spliced in
 * @param bindValues the placeholders' values, JSON-compatible (String, Number, Boolean, null, List for arrays)
 * @param timeoutMs statement timeout; the runner also guards the wall clock
 * @param fetchSize rows per round trip of the cursor
 */
public record ExecutionRequest(String runId, String sql, List<Object> bindValues, long timeoutMs, int fetchSize) {}
