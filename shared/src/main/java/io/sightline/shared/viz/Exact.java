package io.sightline.shared.viz;

import java.math.BigDecimal;

/** When a double cannot stand for a value, the value's exact text travels beside it (types.ts {@code exact}). */
final class Exact {
  private Exact() {}

  /**
   * The plain text of {@code v} when the shortest decimal printing of its nearest double differs from it (beyond
   * ±2^53, more digits than a double keeps), else null: {@code 0.1} needs none, {@code 9007199254740993} does.
   */
  static String textIfInexact(BigDecimal v) {
    if (v == null) {
      return null;
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d) || new BigDecimal(Double.toString(d)).compareTo(v) != 0) {
      return v.stripTrailingZeros().toPlainString();
    }
    return null;
  }
}
