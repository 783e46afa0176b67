package io.sightline.shared.connector;

import io.vertx.core.Future;

/** What a connector reports while it executes, so the runner can record it (and cancel through it). */
public interface ExecutionListener {
  /**
   * The session that will run the statement is known; {@code handle} identifies it for {@link Connector#cancel}.
   * The connector must not send the user's statement before the returned future completes: the runner records the
   * session first, so a runner that dies at any moment leaves either no session on record and nothing sent (the run may
   * be retried) or a recorded session (the run is never executed again). A failed future means the run must not go
   * on: the connector ends without sending the statement ({@link ExecutionException#statementSent()} false).
   */
  Future<Void> started(ExecutionHandle handle);
}
