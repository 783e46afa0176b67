package io.sightline.shared.connector;

/**
 * Identifies a running statement on the datasource, so it can be cancelled from any connection.
 *
 * @param backendId the server's id of the session (Postgres: the backend pid)
 */
public record ExecutionHandle(String runId, long backendId) {}
