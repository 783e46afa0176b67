package io.sightline.shared.viz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Distinct text values (series names) numbered in order of first appearance, looked up straight from a scanned
 * row's bytes — no String is made for a value already known, which is what a million-row pivot does on every row.
 * Values with JSON escapes go through their decoded text.
 */
final class KeyIndex {
  private static final byte[] NULL_KEY = new byte[0];

  private final List<String> keys = new ArrayList<>();
  private byte[][] raw = new byte[16][];
  private int[] table = new int[64];
  private final java.util.HashMap<String, Integer> escaped = new java.util.HashMap<>();

  KeyIndex() {
    Arrays.fill(table, -1);
  }

  int size() {
    return keys.size();
  }

  String key(int index) {
    return keys.get(index);
  }

  /** The index of the slot's value ({@code nullKey} for SQL NULL); -1 when unknown and {@code add} is false. */
  int index(RowScanner r, int slot, String nullKey, boolean add, int limit) {
    if (r.isNull(slot)) {
      return lookup(NULL_KEY, 0, 0, nullKey, add, limit);
    }
    if (r.kind(slot) == RowScanner.STRING && r.escaped(slot)) {
      return escapedIndex(r.text(slot), add, limit);
    }
    return lookup(r.data(), r.start(slot), r.end(slot), null, add, limit);
  }

  /** The index here of entry {@code i} of {@code other} (another chunk's keys), as {@link #index} would answer. */
  int adopt(KeyIndex other, int i, String nullKey, boolean add, int limit) {
    byte[] k = other.raw[i];
    if (k == null) {
      return escapedIndex(other.key(i), add, limit);
    }
    if (k == NULL_KEY) {
      return lookup(NULL_KEY, 0, 0, nullKey, add, limit);
    }
    return lookup(k, 0, k.length, null, add, limit);
  }

  private int escapedIndex(String text, boolean add, int limit) {
    Integer i = escaped.get(text);
    if (i == null && add && keys.size() < limit) {
      i = keys.size();
      escaped.put(text, i);
      keys.add(text);
      grow();
      raw[i] = null;
    }
    return i == null ? -1 : i;
  }

  private int lookup(byte[] b, int s, int e, String nullKey, boolean add, int limit) {
    boolean isNull = nullKey != null;
    int h = isNull ? 0x5bd1e995 : hash(b, s, e);
    int mask = table.length - 1;
    int p = h & mask;
    while (table[p] >= 0) {
      byte[] k = raw[table[p]];
      if (k != null && (isNull ? k == NULL_KEY : k != NULL_KEY && Arrays.equals(k, 0, k.length, b, s, e))) {
        return table[p];
      }
      p = (p + 1) & mask;
    }
    if (!add || keys.size() >= limit) {
      return -1;
    }
    int i = keys.size();
    keys.add(isNull ? nullKey : new String(b, s, e - s, StandardCharsets.UTF_8));
    grow();
    raw[i] = isNull ? NULL_KEY : Arrays.copyOfRange(b, s, e);
    table[p] = i;
    if (keys.size() * 2 > table.length) {
      rehash();
    }
    return i;
  }

  private void grow() {
    if (keys.size() > raw.length) {
      raw = Arrays.copyOf(raw, raw.length * 2);
    }
  }

  private void rehash() {
    int[] old = table;
    table = new int[old.length * 2];
    Arrays.fill(table, -1);
    int mask = table.length - 1;
    for (int i : old) {
      if (i < 0 || raw[i] == null) {
        continue;
      }
      int p = (raw[i] == NULL_KEY ? 0x5bd1e995 : hash(raw[i], 0, raw[i].length)) & mask;
      while (table[p] >= 0) {
        p = (p + 1) & mask;
      }
      table[p] = i;
    }
  }

  private static int hash(byte[] b, int s, int e) {
    int h = 1;
    for (int i = s; i < e; i++) {
      h = 31 * h + b[i];
    }
    return h ^ (h >>> 16);
  }
}
