package io.sightline.api.http;

import io.sightline.shared.logging.LogIds;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every HTTP request an id: the caller's {@code X-Request-Id} when it is sane (1–128 characters of letters,
 * digits and {@code . _ : -}, so it is safe in a log line and a header), else a new UUID. The id is echoed in the
 * {@code X-Request-Id} response header, is the {@code requestId} of every problem+json body (and the incident id of a
 * 500), is written with the request's log lines ({@link LogIds}) and with its audit events.
 */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "sightline.requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {}

  /** The first handler of the router. */
  public static void assign(RoutingContext ctx) {
    String incoming = ctx.request().getHeader(HEADER);
    String id = incoming != null && SANE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    LogIds.bind(LogIds.REQUEST_ID, id);
    ctx.next();
  }

  /** The request's id (null only before {@link #assign} ran). */
  public static String of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
