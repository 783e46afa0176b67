package io.sightline.api.dashboards;

import io.sightline.api.http.ApiException;
import io.sightline.api.http.Problem;

/** Field errors of one request, collected so that a 400 names every bad field at once, in the order found. */
final class Errors {
  private Problem problem = Problem.of(400, "validation", "Invalid request", "Some fields are invalid.");

  void add(String field, String message) {
    problem = problem.withError(field, message);
  }

  boolean isEmpty() {
    return problem.errors().isEmpty();
  }

  /** Fails with the collected errors, if any. */
  void throwIfAny() {
    if (!isEmpty()) {
      throw new ApiException(problem);
    }
  }

  /** One JSON pointer token (RFC 6901). */
  static String token(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
