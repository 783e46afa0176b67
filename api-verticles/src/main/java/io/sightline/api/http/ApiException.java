package io.sightline.api.http;

/** A request that cannot be served as asked; carries the problem the client gets. */
public final class ApiException extends RuntimeException {
  private final transient Problem problem;
  private final transient java.util.Map<String, String> headers;

  public ApiException(Problem problem) {
    this(problem, java.util.Map.of());
  }

  public ApiException(Problem problem, java.util.Map<String, String> headers) {
    super(problem.title() + (problem.detail() == null ? "" : ": " + problem.detail()), null, false, false);
    this.problem = problem;
    this.headers = headers;
  }

  public Problem problem() {
    return problem;
  }

  public java.util.Map<String, String> headers() {
    return headers;
  }

  public static ApiException notFound(String what) {
    return new ApiException(Problem.of(404, "not-found", "Not found", what + " does not exist."));
  }

  public static ApiException badRequest(String title, String detail) {
    return new ApiException(Problem.of(400, "bad-request", title, detail));
  }

  /** A validation failure of one field (its JSON path, e.g. {@code /port}). */
  public static ApiException invalid(String field, String message) {
    return new ApiException(Problem.of(400, "validation", "Invalid request", "Some fields are invalid.")
        .withError(field, message));
  }

  public static ApiException conflict(String title, String detail) {
    return new ApiException(Problem.of(409, "conflict", title, detail));
  }

  /**
   * A save based on version {@code basedOn} of {@code what} ("query") when {@code version} is current: a 409 saying who
   * saved the current version and when, so the editor reloads instead of overwriting someone's work.
   */
  public static ApiException staleVersion(String what, int version, String savedBy, String savedAt, int basedOn) {
    return new ApiException(Problem.of(409, "stale-version", "Saved by someone else", "This " + what
        + " is at version " + version + " (saved by " + savedBy + " at " + savedAt + "); your edit started from version "
        + basedOn + ". Reload it, then apply your change again."));
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(Problem.of(403, "forbidden", "Not allowed", detail));
  }

  public static ApiException unauthenticated(String detail) {
    return new ApiException(Problem.of(401, "unauthenticated", "Sign-in required", detail));
  }
}
