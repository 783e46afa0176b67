package io.sightline.api.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** Finds who a request acts as (session cookie or API key) and enforces CSRF for cookie-authenticated writes. */
public interface Authenticator {
  /**
   * The request's principal; fails with 401 when there is none or it is no longer valid (expired, revoked, disabled),
   * with 403 when a cookie-authenticated write lacks its CSRF token. Completes with null when {@code required} is false
   * and no credentials were sent.
   */
  Future<Principal> authenticate(RoutingContext ctx, boolean required);
}
