package io.sightline.shared.params;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The type of a query parameter. On the wire (the {@code type} of a parameter in a query's params) lower_snake. */
public enum ParamType {
  TEXT, INTEGER, NUMBER, BOOLEAN, DATE, TIMESTAMP, DATE_RANGE, TIMESTAMP_RANGE, ENUM, QUERY_ENUM;

  /** The wire names, comma separated, for messages. */
  static final String WIRE_NAMES = Arrays.stream(values()).map(ParamType::wireName).collect(Collectors.joining(", "));

  /** {@code "text"}, {@code "date_range"}, {@code "query_enum"}... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type with this wire name, or {@code null} if there is none (wire names are lower case only). */
  public static ParamType fromWireName(String wireName) {
    for (ParamType type : values()) {
      if (type.wireName().equals(wireName)) {
        return type;
      }
    }
    return null;
  }

  /** Used as {@code {{name.start}}} and {@code {{name.end}}}. */
  public boolean isRange() {
    return this == DATE_RANGE || this == TIMESTAMP_RANGE;
  }

  /** Takes a numeric {@code min}/{@code max}. */
  public boolean isNumeric() {
    return this == INTEGER || this == NUMBER;
  }

  /** Takes an ISO date or timestamp {@code min}/{@code max}. */
  public boolean isTemporal() {
    return this == DATE || this == TIMESTAMP || this == DATE_RANGE || this == TIMESTAMP_RANGE;
  }

  /** One of a list of options (static or from another query), possibly several ({@code multi}). */
  public boolean isChoice() {
    return this == ENUM || this == QUERY_ENUM;
  }

  /** Values (and range bounds) are dates rather than instants. */
  boolean isDateBased() {
    return this == DATE || this == DATE_RANGE;
  }
}
