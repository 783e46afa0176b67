package io.sightline.shared.result;

/** A result store operation failed; the message names the operation, the object and the store's own reason. */
public final class ResultStoreException extends RuntimeException {
  private final boolean notFound;

  public ResultStoreException(String message, Throwable cause) {
    this(message, cause, false);
  }

  public ResultStoreException(String message, Throwable cause, boolean notFound) {
    super(message, cause);
    this.notFound = notFound;
  }

  /** Whether the object does not exist (as opposed to the store failing). */
  public boolean notFound() {
    return notFound;
  }
}
