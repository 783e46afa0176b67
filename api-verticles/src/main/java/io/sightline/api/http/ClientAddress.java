package io.sightline.api.http;

import io.sightline.shared.net.Cidr;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Who the client is, and whether it came over HTTPS, when Sightline sits behind reverse proxies: the peer's address,
 * unless the peer is a trusted proxy ({@code SIGHTLINE_HTTP_TRUSTED_PROXIES}), in which case the nearest
 * {@code X-Forwarded-For} hop that is not a trusted proxy (read from the right, so a client cannot put its own
 * address in front of the chain). With no trusted proxy configured, forwarded headers are ignored. Computed once per
 * request by {@link #handle}; also sets {@code Strict-Transport-Security} on responses to requests that arrived over
 * TLS (directly, or per a trusted proxy's {@code X-Forwarded-Proto: https}).
 */
public final class ClientAddress {
  private static final String KEY = "sightline.clientAddress";
  /** One year, subdomains not included: the operator's domain may serve other things over plain HTTP. */
  static final String HSTS = "max-age=31536000";

  private final List<Cidr> trusted;

  public ClientAddress(List<String> trustedProxies) {
    this.trusted = trustedProxies.stream().map(p -> Cidr.parse(p).orElseThrow()).toList();
  }

  public void handle(RoutingContext ctx) {
    String peer = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    boolean viaProxy = trusted(peer);
    ctx.put(KEY, viaProxy ? forwardedClient(ctx.request().getHeader("X-Forwarded-For"), peer) : peer);
    boolean https = ctx.request().isSSL() || viaProxy
        && "https".equalsIgnoreCase(firstValue(ctx.request().getHeader("X-Forwarded-Proto")));
    if (https) {
      ctx.response().putHeader("Strict-Transport-Security", HSTS);
    }
    ctx.next();
  }

  /** The client's address as {@link #handle} determined it (the peer's when it did not run). */
  public static String of(RoutingContext ctx) {
    String known = ctx.get(KEY);
    if (known != null) {
      return known;
    }
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }

  private String forwardedClient(String header, String peer) {
    if (header == null || header.isBlank()) {
      return peer;
    }
    String[] hops = header.split(",");
    String nearest = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (hop.isEmpty() || hop.length() > 64) {
        return nearest;
      }
      if (!trusted(hop)) {
        // the first hop no trusted proxy vouches for beyond: a literal address, else what the last proxy saw
        return Cidr.parse(hop).isPresent() ? hop : nearest;
      }
      nearest = hop;
    }
    return nearest;
  }

  private boolean trusted(String address) {
    return trusted.stream().anyMatch(c -> c.contains(address));
  }

  private static String firstValue(String header) {
    return header == null ? null : header.split(",", 2)[0].trim();
  }
}
