package io.sightline.shared.params;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A relative range, usable as the value or default of a {@code date_range} or {@code timestamp_range} parameter and
 * evaluated at run time in the org's time zone. See {@link ParameterBinder} for what each one resolves to.
 */
public enum RangePreset {
  LAST_15M, LAST_1H, LAST_24H, LAST_7D, LAST_30D, TODAY, YESTERDAY, THIS_WEEK;

  static final String WIRE_NAMES = Arrays.stream(values()).map(RangePreset::wireName)
      .collect(Collectors.joining(", "));

  /** {@code "last_24h"}, {@code "this_week"}... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The preset with this wire name, or {@code null}. */
  public static RangePreset fromWireName(String wireName) {
    for (RangePreset preset : values()) {
      if (preset.wireName().equals(wireName)) {
        return preset;
      }
    }
    return null;
  }

  /** The half-open instant range [start, end) at {@code now} in {@code zone}: element 0 is start, 1 is end. */
  public Instant[] instants(Instant now, ZoneId zone) {
    ZonedDateTime here = now.atZone(zone);
    LocalDate today = here.toLocalDate();
    return switch (this) {
      case LAST_15M -> new Instant[] {now.minus(Duration.ofMinutes(15)), now};
      case LAST_1H -> new Instant[] {now.minus(Duration.ofHours(1)), now};
      case LAST_24H -> new Instant[] {now.minus(Duration.ofHours(24)), now};
      // calendar days: the same wall-clock time N days ago (across a DST change that is 23 or 25 hours per day)
      case LAST_7D -> new Instant[] {here.minusDays(7).toInstant(), now};
      case LAST_30D -> new Instant[] {here.minusDays(30).toInstant(), now};
      case TODAY -> days(today, today.plusDays(1), zone);
      case YESTERDAY -> days(today.minusDays(1), today, zone);
      case THIS_WEEK -> {
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        yield days(monday, monday.plusWeeks(1), zone);
      }
    };
  }

  /**
   * The inclusive date range [start, end] at {@code now} in {@code zone}: the dates that {@link #instants} touches
   * (today, yesterday and this_week are whole days; the last_* presets run from the date of their start through
   * today).
   */
  public LocalDate[] dates(Instant now, ZoneId zone) {
    LocalDate today = now.atZone(zone).toLocalDate();
    return switch (this) {
      case TODAY -> new LocalDate[] {today, today};
      case YESTERDAY -> new LocalDate[] {today.minusDays(1), today.minusDays(1)};
      case THIS_WEEK -> {
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        yield new LocalDate[] {monday, monday.plusDays(6)};
      }
      default -> new LocalDate[] {instants(now, zone)[0].atZone(zone).toLocalDate(), today};
    };
  }

  private static Instant[] days(LocalDate first, LocalDate next, ZoneId zone) {
    // atStartOfDay: the first instant of the day, even where midnight falls in a DST gap
    return new Instant[] {first.atStartOfDay(zone).toInstant(), next.atStartOfDay(zone).toInstant()};
  }
}
