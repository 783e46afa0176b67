package io.sightline.shared.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slots of cron and interval schedules in named zones: the DST days of America/Toronto (the skipped 02:30 fires once
 * at 03:00 EDT, the repeated 01:30 fires once), a southern-hemisphere zone, day boundaries in a zone far from UTC,
 * windows, and every way a spec is refused (the field named).
 */
class ScheduleSpecTest {
  private static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");

  private static ScheduleSpec cron(String cron, String zone) {
    return ScheduleSpec.of("cron", null, cron, zone, null, null, NOW);
  }

  private static List<String> upcoming(ScheduleSpec spec, String from, int n) {
    return spec.upcoming(Instant.parse(from), n).stream().map(Instant::toString).toList();
  }

  @Test
  void springForwardInTorontoFiresTheSkippedTimeOnceAtTheEndOfTheGap() {
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist that day
    assertThat(upcoming(cron("30 2 * * *", "America/Toronto"), "2026-03-07T00:00:00Z", 3)).containsExactly(
        "2026-03-07T07:30:00Z",   // 02:30 EST
        "2026-03-08T07:00:00Z",   // the gap's end: 03:00 EDT
        "2026-03-09T06:30:00Z");  // 02:30 EDT
    // every 15 minutes: 02:00, 02:15, 02:30, 02:45 collapse into one firing at 03:00 EDT, then 03:15
    assertThat(upcoming(cron("*/15 * * * *", "America/Toronto"), "2026-03-08T06:40:00Z", 4)).containsExactly(
        "2026-03-08T06:45:00Z", "2026-03-08T07:00:00Z", "2026-03-08T07:15:00Z", "2026-03-08T07:30:00Z");
  }

  @Test
  void fallBackInTorontoFiresTheRepeatedTimeOnce() {
    // 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice, fires at the first (EDT)
    assertThat(upcoming(cron("30 1 * * *", "America/Toronto"), "2026-10-31T00:00:00Z", 3)).containsExactly(
        "2026-10-31T05:30:00Z",   // 01:30 EDT
        "2026-11-01T05:30:00Z",   // 01:30 EDT, the first of the two
        "2026-11-02T06:30:00Z");  // 01:30 EST
    // hourly at :30 through the change: 00:30, 01:30 (EDT), then 02:30 EST — the second 01:30 is not fired
    assertThat(upcoming(cron("30 * * * *", "America/Toronto"), "2026-11-01T04:00:00Z", 3)).containsExactly(
        "2026-11-01T04:30:00Z", "2026-11-01T05:30:00Z", "2026-11-01T07:30:00Z");
    // asked from inside the second pass, the next slot is after it, never back in the first
    assertThat(upcoming(cron("*/20 * * * *", "America/Toronto"), "2026-11-01T06:10:00Z", 2)).containsExactly(
        "2026-11-01T07:00:00Z", "2026-11-01T07:20:00Z");
  }

  @Test
  void southernHemisphereChangesTheOtherWayRound() {
    // Australia/Sydney: 2026-04-05 03:00 AEDT falls back to 02:00 AEST; 2026-10-04 02:00 AEST jumps to 03:00 AEDT
    assertThat(upcoming(cron("30 2 * * *", "Australia/Sydney"), "2026-04-04T00:00:00Z", 2)).containsExactly(
        "2026-04-04T15:30:00Z",   // 02:30 AEDT on the 5th, first occurrence
        "2026-04-05T16:30:00Z");  // 02:30 AEST on the 6th
    assertThat(upcoming(cron("30 2 * * *", "Australia/Sydney"), "2026-10-02T00:00:00Z", 3)).containsExactly(
        "2026-10-02T16:30:00Z", "2026-10-03T16:00:00Z", "2026-10-04T15:30:00Z");
  }

  @Test
  void dayBoundariesAreTheZonesNotUtcs() {
    // 07:30 on weekdays in Tokyo (UTC+9) is 22:30 UTC of the day before: Monday 07:30 JST is Sunday in UTC
    assertThat(upcoming(cron("30 7 * * MON-FRI", "Asia/Tokyo"), "2026-01-16T00:00:00Z", 3)).containsExactly(
        "2026-01-18T22:30:00Z", "2026-01-19T22:30:00Z", "2026-01-20T22:30:00Z");
    // midnight on the 1st of the month in Toronto is 05:00 UTC that day
    assertThat(upcoming(cron("0 0 1 * *", "America/Toronto"), "2026-01-15T00:00:00Z", 2)).containsExactly(
        "2026-02-01T05:00:00Z", "2026-03-01T05:00:00Z");
  }

  @Test
  void intervalsAreElapsedTimeOnAGridAnchoredInTheZone() {
    ScheduleSpec quarter = ScheduleSpec.of("interval", 900, null, "Asia/Kolkata", null, null, NOW);
    // UTC+05:30: the quarter hours of India's clock are :00/:15/:30/:45 there
    assertThat(upcoming(quarter, "2026-01-15T12:01:00Z", 2)).containsExactly("2026-01-15T12:15:00Z",
        "2026-01-15T12:30:00Z");
    // hourly across the Toronto fall-back: 25 slots in the 25-hour local day
    ScheduleSpec hourly = ScheduleSpec.of("interval", 3600, null, "America/Toronto", null, null, NOW);
    assertThat(hourly.upcoming(Instant.parse("2026-11-01T04:00:00Z"), 26).get(25))
        .isEqualTo(Instant.parse("2026-11-02T05:00:00Z"));
    // anchored at startsAt
    ScheduleSpec fromStart = ScheduleSpec.of("interval", 600, null, "UTC", Instant.parse("2026-02-01T00:03:00Z"),
        null, NOW);
    assertThat(upcoming(fromStart, "2026-01-20T00:00:00Z", 2)).containsExactly("2026-02-01T00:03:00Z",
        "2026-02-01T00:13:00Z");
  }

  @Test
  void theWindowBoundsTheSlots() {
    ScheduleSpec spec = ScheduleSpec.of("cron", null, "0 * * * *", "UTC", Instant.parse("2026-01-20T10:00:00Z"),
        Instant.parse("2026-01-20T12:00:00Z"), NOW);
    assertThat(upcoming(spec, "2026-01-01T00:00:00Z", 5)).containsExactly("2026-01-20T10:00:00Z",
        "2026-01-20T11:00:00Z");
    assertThat(spec.next(Instant.parse("2026-01-20T11:00:00Z"))).isEmpty();
  }

  @Test
  void backoffDoublesFromTwoMinutesAndIsCappedAtFourPeriods() {
    ScheduleSpec hourly = ScheduleSpec.of("interval", 3600, null, "UTC", null, null, NOW);
    assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 8, 40).stream().map(n -> hourly.backoff(n, NOW).toMinutes()).toList())
        .containsExactly(2L, 4L, 8L, 16L, 32L, 64L, 128L, 240L, 240L);
    assertThat(hourly.backoff(0, NOW)).isEqualTo(Duration.ZERO);
    ScheduleSpec daily = cron("30 7 * * *", "America/Toronto");
    assertThat(daily.backoff(30, NOW)).isEqualTo(Duration.ofDays(4));
  }

  @Test
  void describesItselfInWords() {
    assertThat(ScheduleSpec.of("interval", 300, null, "UTC", null, null, NOW).describe())
        .isEqualTo("every 5 minutes (UTC)");
    assertThat(cron("30 7 * * MON-FRI", "America/Toronto").describe()).contains("07:30").contains("America/Toronto");
  }

  private static void refused(Runnable r, String field, String message) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(ScheduleException.class, e -> {
      assertThat(e.field()).isEqualTo(field);
      assertThat(e.getMessage()).contains(message);
    });
  }

  @Test
  void badSpecsAreRefusedNamingTheField() {
    refused(() -> ScheduleSpec.of("hourly", null, null, "UTC", null, null, NOW), "/kind", "interval or cron");
    refused(() -> ScheduleSpec.of("interval", 59, null, "UTC", null, null, NOW), "/everySeconds", "between 60");
    refused(() -> ScheduleSpec.of("interval", null, null, "UTC", null, null, NOW), "/everySeconds", "required");
    refused(() -> ScheduleSpec.of("interval", 60, "* * * * *", "UTC", null, null, NOW), "/cron", "no cron");
    refused(() -> ScheduleSpec.of("cron", 60, "* * * * *", "UTC", null, null, NOW), "/everySeconds", "no interval");
    refused(() -> cron("61 * * * *", "UTC"), "/cron", "not valid Unix cron");
    refused(() -> cron("0 0 * * * *", "UTC"), "/cron", "5 fields");
    refused(() -> cron("'; drop table schedules; --", "UTC"), "/cron", "not valid Unix cron");
    refused(() -> cron("0 0 * * * *; drop", "UTC"), "/cron", "5 fields");
    refused(() -> cron("a b c d e", "UTC"), "/cron", "not valid Unix cron");
    refused(() -> cron("", "UTC"), "/cron", "required");
    refused(() -> cron("0 0 30 2 *", "UTC"), "/cron", "never fires");
    refused(() -> cron("0 0 31 4 *", "UTC"), "/cron", "never fires");
    refused(() -> cron("* * * * *", "Mars/Olympus"), "/timezone", "IANA");
    refused(() -> cron("* * * * *", "+02:00"), "/timezone", "not a fixed offset");
    refused(() -> cron("* * * * *", ""), "/timezone", "IANA");
    refused(() -> cron("* * * * *", "America/Toronto\u0000"), "/timezone", "IANA");
    refused(() -> ScheduleSpec.of("interval", 60, null, "UTC", NOW, NOW, NOW), "/endsAt", "after startsAt");
    refused(() -> ScheduleSpec.of("interval", 60, null, "UTC", null, NOW.minusSeconds(5), NOW), "/endsAt",
        "no slot left");
    refused(() -> ScheduleSpec.of("cron", null, "0 0 1 1 *", "UTC", null, Instant.parse("2026-12-31T00:00:00Z"),
        NOW), "/endsAt", "no slot left");
  }

  @Test
  void leapDayCronsFireInLeapYears() {
    assertThat(upcoming(cron("0 12 29 2 *", "UTC"), "2026-01-01T00:00:00Z", 2)).containsExactly(
        "2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z");
  }
}
