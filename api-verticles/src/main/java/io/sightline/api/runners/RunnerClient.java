package io.sightline.api.runners;

import io.sightline.api.http.ApiException;
import io.sightline.api.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * Requests to any runner over the event bus (the api does no datasource work itself). No runner, or none answering in
 * time, is a 503 that says so, never a hang; a runner reporting a missing object is a 404.
 */
public final class RunnerClient {
  private final Vertx vertx;

  public RunnerClient(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<JsonObject> request(String address, JsonObject body, long timeoutMs, String what) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(reply -> reply.body())
        .recover(err -> Future.failedFuture(translate(err, timeoutMs, what)));
  }

  private static Throwable translate(Throwable err, long timeoutMs, String what) {
    if (err instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.NO_HANDLERS) {
        return new ApiException(Problem.of(503, "no-runner", "No runner available",
            "No runner is running to " + what + ". Start a runner (or the standalone server) and try again."));
      }
      if (re.failureType() == ReplyFailure.TIMEOUT) {
        return new ApiException(Problem.of(503, "no-runner", "No runner available",
            "No runner answered within " + timeoutMs / 1000 + " s to " + what + "."));
      }
      if (re.failureCode() == 404) {
        return ApiException.notFound("That datasource");
      }
      return new ApiException(Problem.of(502, "runner-error", "Runner error",
          "The runner could not " + what + ": " + re.getMessage()));
    }
    return err;
  }
}
