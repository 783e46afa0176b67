package io.sightline.shared.schedules;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * When a schedule fires: an interval or a cron, in an IANA time zone, inside an optional window
 * {@code [startsAt, endsAt)}. Validated on construction ({@link #of}), so a spec that exists has a next slot at the
 * time it was checked. Immutable and thread-safe.
 *
 * <h2>Cron</h2>
 * Unix 5-field cron ({@code minute hour day-of-month month day-of-week}, parsed by cron-utils' {@code UNIX}
 * definition: lists, ranges, steps, names such as {@code MON} and {@code JAN}), evaluated on the wall clock of the
 * schedule's zone. Across daylight-saving changes:
 * <ul>
 *   <li>a wall-clock time that does not exist (spring forward: 02:30 in America/Toronto on the second Sunday of March)
 *       fires once, at the end of the gap (03:00 EDT); several such times collapse into that one firing;
 *   <li>a wall-clock time that exists twice (fall back: 01:30 on the first Sunday of November) fires once, at its first
 *       occurrence (01:30 EDT); the repeated hour does not fire again.
 * </ul>
 * The slots are therefore the set of instants the cron's wall-clock times map to, each once, in order.
 *
 * <h2>Interval</h2>
 * Every {@code everySeconds} (at least 60) of elapsed time, on a grid anchored at {@code startsAt} when given, else at
 * midnight of 2000-01-01 in the schedule's zone (so every 15 minutes falls on the quarter hour of that zone's clock,
 * half-hour offsets included). Elapsed time knows no DST: the 25-hour day of the autumn change has 25 hourly slots.
 */
public final class ScheduleSpec {
  /** How a schedule repeats. */
  public enum Kind {
    INTERVAL, CRON;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind fromWire(String s) {
      return switch (s == null ? "" : s) {
        case "interval" -> INTERVAL;
        case "cron" -> CRON;
        default -> throw new ScheduleException("/kind", "must be interval or cron");
      };
    }
  }

  public static final int MIN_EVERY_SECONDS = 60;
  /** One year: anything longer is better written as a cron. */
  public static final int MAX_EVERY_SECONDS = 366 * 24 * 3600;
  public static final int MAX_CRON_LENGTH = 200;
  private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  /** A cron with no time within this many years from the time asked about is treated as never firing. */
  private static final int HORIZON_YEARS = 10;
  /** At most this many wall-clock times of a cron may map to instants already passed (a DST gap or overlap). */
  private static final int MAX_SKIPPED = 10_000;

  private final Kind kind;
  private final Integer everySeconds;
  private final String cron;
  private final ZoneId zone;
  private final Instant startsAt;
  private final Instant endsAt;
  private final ExecutionTime execution;
  private final Cron parsed;
  private final Instant anchor;

  private ScheduleSpec(Kind kind, Integer everySeconds, String cron, ZoneId zone, Instant startsAt, Instant endsAt,
      Cron parsed) {
    this.kind = kind;
    this.everySeconds = everySeconds;
    this.cron = cron;
    this.zone = zone;
    this.startsAt = startsAt;
    this.endsAt = endsAt;
    this.parsed = parsed;
    this.execution = parsed == null ? null : ExecutionTime.forCron(parsed);
    this.anchor = startsAt != null ? startsAt : LocalDate.of(2000, 1, 1).atStartOfDay(zone).toInstant();
  }

  /**
   * A validated spec; a {@link ScheduleException} naming the field otherwise: {@code /kind}, {@code /everySeconds}
   * (interval: 60 to one year; cron: must be absent), {@code /cron} (not Unix 5-field cron, or never fires),
   * {@code /timezone} (not an IANA zone id), {@code /endsAt} (not after startsAt, or no slot in the window after
   * {@code now}).
   */
  public static ScheduleSpec of(String kind, Integer everySeconds, String cron, String timezone, Instant startsAt,
      Instant endsAt, Instant now) {
    Kind k = Kind.fromWire(kind);
    ZoneId zone = zone(timezone);
    if (startsAt != null && endsAt != null && !startsAt.isBefore(endsAt)) {
      throw new ScheduleException("/endsAt", "must be after startsAt");
    }
    ScheduleSpec spec;
    if (k == Kind.INTERVAL) {
      if (cron != null) {
        throw new ScheduleException("/cron", "an interval schedule has no cron (send everySeconds)");
      }
      if (everySeconds == null) {
        throw new ScheduleException("/everySeconds", "is required for an interval schedule");
      }
      if (everySeconds < MIN_EVERY_SECONDS || everySeconds > MAX_EVERY_SECONDS) {
        throw new ScheduleException("/everySeconds", "must be between " + MIN_EVERY_SECONDS + " (one minute) and "
            + MAX_EVERY_SECONDS + " (a year)");
      }
      spec = new ScheduleSpec(k, everySeconds, null, zone, startsAt, endsAt, null);
    } else {
      if (everySeconds != null) {
        throw new ScheduleException("/everySeconds", "a cron schedule has no interval (send cron)");
      }
      Cron parsed = parseCron(cron);
      spec = new ScheduleSpec(k, null, cron.trim(), zone, startsAt, endsAt, parsed);
    }
    if (spec.next(now).isEmpty()) {
      boolean never = k == Kind.CRON
          && new ScheduleSpec(k, null, spec.cron, zone, null, null, spec.parsed).next(now).isEmpty();
      throw never ? new ScheduleException("/cron", "never fires (no time matches it in the next " + HORIZON_YEARS
          + " years)") : new ScheduleException("/endsAt", "the window has no slot left after now");
    }
    return spec;
  }

  /** A spec as stored (validated when it was saved): never fails for a saved schedule's columns. */
  public static ScheduleSpec stored(String kind, Integer everySeconds, String cron, String timezone, Instant startsAt,
      Instant endsAt) {
    Kind k = Kind.fromWire(kind);
    return new ScheduleSpec(k, k == Kind.INTERVAL ? everySeconds : null, k == Kind.CRON ? cron : null,
        zone(timezone), startsAt, endsAt, k == Kind.CRON ? parseCron(cron) : null);
  }

  /** An IANA zone id ({@code America/Toronto}, {@code UTC}); a 400 naming {@code /timezone} otherwise. */
  public static ZoneId zone(String timezone) {
    if (timezone == null || timezone.isBlank() || timezone.length() > 100) {
      throw new ScheduleException("/timezone", "must be an IANA time zone such as America/Toronto");
    }
    try {
      ZoneId zone = ZoneId.of(timezone);
      if (zone instanceof ZoneOffset && !timezone.equals("UTC") && !timezone.equals("Z")) {
        // fixed offsets ("+02:00") never follow a region's DST changes: name the region instead
        throw new ScheduleException("/timezone", "must be a region (America/Toronto) or UTC, not a fixed offset");
      }
      return zone;
    } catch (DateTimeException e) {
      throw new ScheduleException("/timezone", "is not an IANA time zone (for example America/Toronto)");
    }
  }

  private static Cron parseCron(String text) {
    if (text == null || text.isBlank()) {
      throw new ScheduleException("/cron", "is required for a cron schedule");
    }
    if (text.length() > MAX_CRON_LENGTH) {
      throw new ScheduleException("/cron", "must be at most " + MAX_CRON_LENGTH + " characters");
    }
    String trimmed = text.trim();
    if (trimmed.split("\\s+").length != 5) {
      throw new ScheduleException("/cron", "must have 5 fields: minute hour day-of-month month day-of-week"
          + " (Unix cron, e.g. 30 7 * * MON-FRI)");
    }
    try {
      return PARSER.parse(trimmed).validate();
    } catch (IllegalArgumentException e) {
      throw new ScheduleException("/cron", "is not valid Unix cron: " + e.getMessage());
    }
  }

  public Kind kind() {
    return kind;
  }

  public Integer everySeconds() {
    return everySeconds;
  }

  public String cron() {
    return cron;
  }

  public ZoneId zone() {
    return zone;
  }

  public Instant startsAt() {
    return startsAt;
  }

  public Instant endsAt() {
    return endsAt;
  }

  /** The first slot strictly after {@code after}, inside the window; empty when there is none. */
  public Optional<Instant> next(Instant after) {
    Instant from = startsAt != null && after.isBefore(startsAt) ? startsAt.minusNanos(1) : after;
    Optional<Instant> next = kind == Kind.INTERVAL ? nextInterval(from) : nextCron(from);
    return next.filter(t -> endsAt == null || t.isBefore(endsAt));
  }

  /** The first slot at or after {@code t}. */
  public Optional<Instant> firstAtOrAfter(Instant t) {
    return next(t.minusNanos(1));
  }

  /** Up to {@code n} slots at or after {@code from}, in order. */
  public List<Instant> upcoming(Instant from, int n) {
    List<Instant> out = new ArrayList<>(n);
    Optional<Instant> t = firstAtOrAfter(from);
    while (t.isPresent() && out.size() < n) {
      out.add(t.get());
      t = next(t.get());
    }
    return out;
  }

  private Optional<Instant> nextInterval(Instant after) {
    if (after.isBefore(anchor)) {
      return Optional.of(anchor);
    }
    long n = everySeconds;
    long elapsed = Duration.between(anchor, after).getSeconds();
    return Optional.of(anchor.plusSeconds((elapsed / n + 1) * n));
  }

  /**
   * The smallest instant a wall-clock time of the cron maps to that is after {@code after}: walks the cron's
   * wall-clock times from the wall-clock time of {@code after} and skips those whose instant is not later (the
   * repeated hour's second pass, a gap already fired at its end).
   */
  private Optional<Instant> nextCron(Instant after) {
    LocalDateTime local = LocalDateTime.ofInstant(after, zone);
    LocalDateTime limit = local.plusYears(HORIZON_YEARS);
    for (int i = 0; i < MAX_SKIPPED; i++) {
      Optional<ZonedDateTime> next = execution.nextExecution(local.atZone(ZoneOffset.UTC));
      if (next.isEmpty() || !next.get().toLocalDateTime().isAfter(local)
          || next.get().toLocalDateTime().isAfter(limit)) {
        return Optional.empty();
      }
      local = next.get().toLocalDateTime();
      Instant at = instant(local);
      if (at.isAfter(after)) {
        return Optional.of(at);
      }
    }
    return Optional.empty();
  }

  /**
   * The slots from {@code planned} (a slot) up to {@code now}: the latest one ({@code slot}, the catch-up) and those
   * before it ({@code missed}), of which only the latest {@code keep} are listed, plus the first. Intervals are
   * counted exactly by arithmetic; a cron's slots are walked, at most {@link #MAX_WALK} (then {@code capped}: the count
   * is a lower bound and the catch-up is the last slot walked). Empty when {@code planned} is after {@code now}.
   */
  public record CatchUp(Instant slot, long missed, Instant firstMissed, List<Instant> lastMissed, boolean capped) {}

  public static final int MAX_WALK = 200_000;

  public Optional<CatchUp> catchUp(Instant planned, Instant now, int keep) {
    if (planned.isAfter(now)) {
      return Optional.empty();
    }
    java.util.ArrayDeque<Instant> last = new java.util.ArrayDeque<>();
    if (kind == Kind.INTERVAL) {
      long k = Duration.between(planned, now).getSeconds() / everySeconds;
      Instant slot = planned.plusSeconds(k * everySeconds);
      if (endsAt != null && !slot.isBefore(endsAt)) {
        // the window closed meanwhile: the last slot inside it
        k = Math.max(0, (Duration.between(planned, endsAt).getSeconds() - 1) / everySeconds);
        slot = planned.plusSeconds(k * everySeconds);
      }
      for (long i = Math.max(0, k - keep); i < k; i++) {
        last.add(planned.plusSeconds(i * everySeconds));
      }
      return Optional.of(new CatchUp(slot, k, k > 0 ? planned : null, List.copyOf(last), false));
    }
    Instant slot = planned;
    long missed = 0;
    boolean capped = false;
    while (true) {
      Optional<Instant> next = next(slot);
      if (next.isEmpty() || next.get().isAfter(now)) {
        break;
      }
      if (missed >= MAX_WALK) {
        capped = true;
        break;
      }
      last.add(slot);
      if (last.size() > keep) {
        last.removeFirst();
      }
      missed++;
      slot = next.get();
    }
    return Optional.of(new CatchUp(slot, missed, missed > 0 ? planned : null, List.copyOf(last), capped));
  }

  /** A wall-clock time in the zone: in a gap, the gap's end; in an overlap, its first occurrence. */
  Instant instant(LocalDateTime local) {
    ZoneRules rules = zone.getRules();
    List<ZoneOffset> offsets = rules.getValidOffsets(local);
    if (offsets.isEmpty()) {
      return rules.getTransition(local).getInstant();
    }
    return local.toInstant(offsets.get(0));
  }

  /** Whether {@code local} is a wall-clock time of the cron (for an interval: always false). */
  boolean matches(LocalDateTime local) {
    return execution != null && execution.isMatch(local.atZone(ZoneOffset.UTC));
  }

  /**
   * The schedule's period around {@code at}: the interval, or the time between the cron's next two slots (at least a
   * minute); what the failure backoff is capped by.
   */
  public Duration period(Instant at) {
    if (kind == Kind.INTERVAL) {
      return Duration.ofSeconds(everySeconds);
    }
    Optional<Instant> a = nextCron(at);
    Optional<Instant> b = a.flatMap(this::nextCron);
    if (a.isEmpty() || b.isEmpty()) {
      return Duration.ofDays(1);
    }
    Duration d = Duration.between(a.get(), b.get());
    return d.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : d;
  }

  /** The backoff after {@code failures} consecutive failures: 2^failures minutes, capped at 4 × the period. */
  public Duration backoff(int failures, Instant at) {
    Duration cap = period(at).multipliedBy(4);
    if (failures <= 0) {
      return Duration.ZERO;
    }
    Duration exp = failures >= 30 ? cap : Duration.ofMinutes(1L << failures);
    return exp.compareTo(cap) > 0 ? cap : exp;
  }

  /** A reading in English: "every 5 minutes", "at 07:30 on every weekday" (cron-utils' descriptor), with the zone. */
  public String describe() {
    String what;
    if (kind == Kind.INTERVAL) {
      what = "every " + duration(everySeconds);
    } else {
      what = CronDescriptor.instance(Locale.UK).describe(parsed);
    }
    return what + " (" + zone.getId() + ")";
  }

  private static String duration(int seconds) {
    if (seconds % 86_400 == 0) {
      return plural(seconds / 86_400, "day");
    }
    if (seconds % 3600 == 0) {
      return plural(seconds / 3600, "hour");
    }
    if (seconds % 60 == 0) {
      return plural(seconds / 60, "minute");
    }
    return plural(seconds, "second");
  }

  private static String plural(int n, String unit) {
    return n == 1 ? unit : n + " " + unit + "s";
  }
}
