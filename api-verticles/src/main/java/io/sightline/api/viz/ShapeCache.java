package io.sightline.api.viz;

import io.vertx.core.buffer.Buffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shaped answers, least recently used first out, bounded by entries and by bytes. Keyed by (result, hash of kind +
 * config + zone, width rounded up to 100 px); a result is immutable, so an entry never goes stale — it is only
 * unreachable once the result expires (every request checks the result's org and expiry before the cache).
 */
final class ShapeCache {
  private final int maxEntries;
  private final long maxBytes;
  private final LinkedHashMap<String, Buffer> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  ShapeCache(int maxEntries, long maxBytes) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  synchronized Buffer get(String key) {
    return entries.get(key);
  }

  synchronized void put(String key, Buffer answer) {
    if (answer.length() > maxBytes / 4) {
      return;  // one huge answer should not empty the cache
    }
    Buffer old = entries.put(key, answer);
    bytes += answer.length() - (old == null ? 0 : old.length());
    Iterator<Map.Entry<String, Buffer>> eldest = entries.entrySet().iterator();
    while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
      bytes -= eldest.next().getValue().length();
      eldest.remove();
    }
  }

  synchronized int size() {
    return entries.size();
  }
}
