package io.sightline.shared.viz;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * One aggregate (sum, avg, min, max, count, first, last) over the values that fall into one place: doubles for
 * integer and float columns, exact {@link BigDecimal}s for decimal and bigint columns.
 */
final class Acc {
  enum Kind {
    SUM, AVG, MIN, MAX, COUNT, FIRST, LAST;

    static Kind of(String name) {
      return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
  }

  static final MathContext DIVISION = MathContext.DECIMAL128;

  final Kind kind;
  final boolean exact;
  long count;
  double d;
  BigDecimal e;

  Acc(Kind kind, boolean exact) {
    this.kind = kind;
    this.exact = exact;
  }

  void reset() {
    count = 0;
    d = 0;
    e = null;
  }

  void add(double v) {
    switch (kind) {
      case SUM, AVG -> d = count == 0 ? v : d + v;
      case MIN -> d = count == 0 ? v : Math.min(d, v);
      case MAX -> d = count == 0 ? v : Math.max(d, v);
      case FIRST -> d = count == 0 ? v : d;
      case LAST -> d = v;
      case COUNT -> { }
    }
    count++;
  }

  void add(BigDecimal v) {
    switch (kind) {
      case SUM, AVG -> e = count == 0 ? v : e.add(v);
      case MIN -> e = count == 0 || v.compareTo(e) < 0 ? v : e;
      case MAX -> e = count == 0 || v.compareTo(e) > 0 ? v : e;
      case FIRST -> e = count == 0 ? v : e;
      case LAST -> e = v;
      case COUNT -> { }
    }
    count++;
  }

  /** Counts a value whose number is not needed (count over a non-numeric column). */
  void addCount() {
    count++;
  }

  boolean empty() {
    return count == 0;
  }

  /** The aggregate as an exact value (null when empty); only for exact accumulators and count. */
  BigDecimal exactValue() {
    if (count == 0) {
      return null;
    }
    if (kind == Kind.COUNT) {
      return BigDecimal.valueOf(count);
    }
    if (kind == Kind.AVG) {
      return e.divide(BigDecimal.valueOf(count), DIVISION);
    }
    return e;
  }

  /** The aggregate as a double (NaN when empty). */
  double value() {
    if (count == 0) {
      return Double.NaN;
    }
    if (kind == Kind.COUNT) {
      return count;
    }
    if (exact) {
      return exactValue().doubleValue();
    }
    return kind == Kind.AVG ? d / count : d;
  }

  /** The exact text when a double cannot hold the value, else null. */
  String exactText() {
    if (!exact && kind != Kind.COUNT) {
      return null;
    }
    BigDecimal v = exactValue();
    return v == null ? null : Exact.textIfInexact(v);
  }
}
