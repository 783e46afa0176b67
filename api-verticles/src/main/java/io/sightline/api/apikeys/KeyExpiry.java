package io.sightline.api.apikeys;

import io.sightline.api.http.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The optional expiry of a new API key ({@code expiresAt}): an ISO-8601 instant with an offset, at least a minute
 * ahead (so it is still ahead when the key is stored, whatever the clocks' small differences) and at most
 * {@value #MAX_YEARS} years ahead; null or absent for a key that never expires. Anything else is a 400 naming
 * {@code /expiresAt}.
 */
final class KeyExpiry {
  static final String FIELD = "/expiresAt";
  static final int MAX_YEARS = 5;
  private static final Duration MIN_AHEAD = Duration.ofMinutes(1);

  private KeyExpiry() {}

  static OffsetDateTime parse(String text, Instant now) {
    if (text == null) {
      return null;
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(text.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(FIELD, "must be an ISO-8601 instant with offset, e.g. 2027-03-01T00:00:00Z");
    }
    if (at.isBefore(now.plus(MIN_AHEAD))) {
      throw ApiException.invalid(FIELD, "must be at least a minute in the future");
    }
    if (at.isAfter(now.atOffset(ZoneOffset.UTC).plusYears(MAX_YEARS).toInstant())) {
      throw ApiException.invalid(FIELD, "must be at most " + MAX_YEARS + " years ahead");
    }
    return at.atOffset(ZoneOffset.UTC);
  }
}
