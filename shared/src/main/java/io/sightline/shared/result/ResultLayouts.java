package io.sightline.shared.result;

import io.sightline.shared.connector.ColumnMeta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;

/**
 * The columns and chunk index of results read lately, kept by {@link ResultReader} by result id instead of parsed from
 * JSON for every page: profiled, parsing the index was a fifth of the CPU of paging through a 10,000,000-row result.
 * A stored result never changes (its row is inserted once and only ever deleted), so nothing here goes stale; who may
 * read a result and whether it expired are still asked of the database for every page. Least recently used out first,
 * at most {@code maxLayouts} layouts and {@code maxEntries} index entries.
 */
final class ResultLayouts {
  /** Results whose layout is kept at most. */
  static final int LAYOUTS_KEPT = 128;
  /**
   * Index entries (chunks and their frames) kept at most, over all kept layouts: about 10 MB of heap. A 10,000,000-row
   * result of 1 MB chunks has about 800 chunks of 16 frames each.
   */
  static final int INDEX_ENTRIES_KEPT = 250_000;

  record Layout(List<ColumnMeta> columns, List<ChunkRef> chunks) {
    /** Its weight in the cache: chunks and frames. */
    int entries() {
      int n = chunks.size();
      for (ChunkRef c : chunks) {
        n += c.frames().size();
      }
      return n;
    }
  }

  private final LinkedHashMap<UUID, Layout> map = new LinkedHashMap<>(64, 0.75f, true);
  private final int maxLayouts;
  private final int maxEntries;
  private long entries;

  ResultLayouts(int maxLayouts, int maxEntries) {
    this.maxLayouts = maxLayouts;
    this.maxEntries = maxEntries;
  }

  synchronized long entries() {
    return entries;
  }

  synchronized Layout get(UUID id) {
    return map.get(id);
  }

  synchronized void put(UUID id, Layout layout) {
    int weight = layout.entries();
    if (weight > maxEntries) {
      return;   // parsed again for each page: rare (a result of billions of rows)
    }
    Layout old = map.put(id, layout);
    entries += weight - (old == null ? 0 : old.entries());
    var eldest = map.entrySet().iterator();
    while (map.size() > maxLayouts || entries > maxEntries) {
      entries -= eldest.next().getValue().entries();
      eldest.remove();
    }
  }
}
