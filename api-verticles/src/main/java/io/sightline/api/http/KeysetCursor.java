package io.sightline.api.http;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque cursor of list pages: the last item's (timestamp, id), so the next page continues after it with a keyset
 * condition ({@code (t, id) < ($t, $id)}) — stable under inserts, no OFFSET scans.
 */
public record KeysetCursor(OffsetDateTime at, UUID id) {
  public String encode() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((at.toString() + "|" + id)
        .getBytes(StandardCharsets.UTF_8));
  }

  /** Null for no cursor; a 400 naming {@code ?cursor} for one this API did not give out. */
  public static KeysetCursor decode(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|");
      return new KeysetCursor(OffsetDateTime.parse(parts[0]), UUID.fromString(parts[1]));
    } catch (RuntimeException e) {
      throw ApiException.invalid("?cursor", "is not a cursor this API gave out");
    }
  }
}
