package io.sightline.api.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** A request that passed authentication, authorisation and body validation, as a handler sees it. */
public record ApiRequest(RoutingContext ctx, Principal principal, JsonObject body) {

  /** A path parameter, e.g. {@code datasourceId}; ids are validated as UUIDs (an invalid one is simply not found). */
  public String path(String name) {
    return ctx.pathParam(name);
  }

  /** A UUID path parameter; anything else is a 404 for {@code what}, exactly like an id of another org. */
  public java.util.UUID id(String name, String what) {
    try {
      return java.util.UUID.fromString(ctx.pathParam(name));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ApiException.notFound(what);
    }
  }

  /** A positive whole-number path parameter (e.g. a version); anything else is a 404 for {@code what}. */
  public int number(String name, String what) {
    try {
      int n = Integer.parseInt(ctx.pathParam(name));
      if (n < 1) {
        throw ApiException.notFound(what);
      }
      return n;
    } catch (NumberFormatException | NullPointerException e) {
      throw ApiException.notFound(what);
    }
  }

  public String query(String name) {
    return ctx.request().getParam(name);
  }

  public String orgId() {
    return principal.orgId();
  }

  /** The client's address: the peer's, or behind trusted reverse proxies the forwarded one ({@link ClientAddress}). */
  public String clientAddress() {
    return ClientAddress.of(ctx);
  }
}
