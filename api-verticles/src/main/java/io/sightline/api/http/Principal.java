package io.sightline.api.http;

/**
 * Who a request acts as: a user, in one org, with that membership's role; authenticated by a session cookie
 * ({@code sessionId} set) or by an API key ({@code apiKeyId} set).
 */
public record Principal(
    String userId, String email, String orgId, Role role, String sessionId, String apiKeyId,
    boolean mustChangePassword) {

  public boolean viaSession() {
    return sessionId != null;
  }
}
