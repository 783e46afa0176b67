package io.sightline.api.http;

import io.sightline.shared.db.DatabaseUnavailable;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: turns whatever failed a request into a problem+json response. Known HTTP statuses keep
 * their meaning; a metadata database that cannot be reached right now is a 503 with {@code Retry-After}; anything
 * unexpected is a 500 whose body names an incident id — the request's id ({@link RequestIds}), logged with the
 * exception — and nothing else of the server's insides.
 */
public final class Failures {
  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);
  /** What a 503 asks the client to wait before trying again: about as long as a database restart takes. */
  public static final int RETRY_AFTER_SECONDS = 5;

  private Failures() {}

  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException api) {
      api.headers().forEach(ctx.response()::putHeader);
      api.problem().send(ctx.response());
      return;
    }
    if (failure != null && DatabaseUnavailable.is(failure)) {
      unavailable(ctx, failure);
      return;
    }
    int status = ctx.statusCode();
    if (failure instanceof HttpException http) {
      status = http.getStatusCode();
    }
    problemFor(status, failure, ctx).send(ctx.response());
  }

  private static Problem problemFor(int status, Throwable failure, RoutingContext ctx) {
    return switch (status) {
      case 400 -> Problem.of(400, "bad-request", "Bad request", message(failure, "The request is malformed."));
      case 401 -> Problem.of(401, "unauthenticated", "Sign-in required", "Sign in or send an API key.");
      case 403 -> Problem.of(403, "forbidden", "Not allowed", "Your role does not allow this.");
      case 404 -> notFound(ctx);
      case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed",
          ctx.request().method() + " is not supported on " + ctx.request().path() + ".");
      case 413 -> Problem.of(413, "payload-too-large", "Request body too large", ctx.get(ApiRoutes.BODY_LIMIT) == null
          ? "The request body exceeds the server's limit."
          : "The request body exceeds this route's limit of " + ctx.get(ApiRoutes.BODY_LIMIT) + " bytes.");
      case 415 -> Problem.of(415, "unsupported-media-type", "Unsupported media type", "Send application/json.");
      default -> {
        if (status >= 400 && status < 500) {
          yield Problem.of(status, "client-error", "Request refused", message(failure, null));
        }
        // the incident is the request: its id is in the log line, the body's requestId and the X-Request-Id header
        String incident = RequestIds.of(ctx) != null ? RequestIds.of(ctx) : UUID.randomUUID().toString();
        LOG.error("incident {}: {} {} failed", incident, ctx.request().method(), ctx.request().path(), failure);
        yield Problem.of(500, "internal", "Internal error",
            "Something went wrong on the server. Incident " + incident + " is in its log.");
      }
    };
  }

  /** 503: the database is unreachable for now (restarting, failing over); the request may simply be sent again. */
  private static void unavailable(RoutingContext ctx, Throwable failure) {
    LOG.debug("{} {}: metadata database unavailable ({}), answered 503", ctx.request().method(), ctx.request().path(),
        failure.toString());
    if (!ctx.response().headWritten()) {
      ctx.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    }
    Problem.of(503, "database-unavailable", "Temporarily unavailable",
        "The database cannot be reached right now. Try again in a few seconds.").send(ctx.response());
  }

  public static Problem notFound(RoutingContext ctx) {
    return Problem.of(404, "not-found", "Not found", "Nothing at " + ctx.request().path() + ".");
  }

  private static String message(Throwable failure, String fallback) {
    if (failure instanceof HttpException http && http.getPayload() != null) {
      return http.getPayload();
    }
    return fallback;
  }
}
