package io.sightline.shared.connector;

/** What a connector reports while it executes, so the runner can record it (and cancel through it). */
public interface ExecutionListener {
  /** The statement is about to run; {@code handle} identifies the server-side session for {@link Connector#cancel}. */
  void started(ExecutionHandle handle);
}
