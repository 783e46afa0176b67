package io.sightline.shared.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Slots against an oracle that walks the wall clock minute by minute: for random crons around the DST changes of
 * America/Toronto and Australia/Sydney (and UTC), the slots {@link ScheduleSpec#next} walks are exactly the instants
 * the matching wall-clock minutes map to (a gap's minutes to the gap's end, an overlap's to their first occurrence),
 * each once, strictly increasing, with no wall-clock time fired twice. Intervals are exactly their period apart and
 * none is skipped, whatever the zone.
 */
class ScheduleSpecPropertiesTest {
  private static final Instant CHECKED_AT = Instant.parse("2026-01-01T00:00:00Z");

  /** Instants a few days before each 2026 DST change of the zones, and an ordinary day. */
  private static final List<Instant> AROUND = List.of(
      Instant.parse("2026-03-06T20:00:00Z"), Instant.parse("2026-10-30T20:00:00Z"),   // Toronto: Mar 8, Nov 1
      Instant.parse("2026-04-03T10:00:00Z"), Instant.parse("2026-10-02T10:00:00Z"),   // Sydney: Apr 5, Oct 4
      Instant.parse("2026-06-15T00:00:00Z"));

  @Provide
  Arbitrary<String> crons() {
    Arbitrary<String> minute = Arbitraries.of("*", "*/5", "*/15", "0", "30", "0,30", "45", "10-20", "59");
    Arbitrary<String> hour = Arbitraries.of("*", "1", "2", "1-3", "*/2", "0", "23", "2,3");
    Arbitrary<String> dom = Arbitraries.of("*", "*", "1-10", "*/2");
    Arbitrary<String> month = Arbitraries.of("*", "*", "3,4", "10,11");
    Arbitrary<String> dow = Arbitraries.of("*", "*", "SUN", "MON-FRI", "0,6");
    return Combinators.combine(minute, hour, dom, month, dow).as((a, b, c, d, e) -> a + " " + b + " " + c + " " + d
        + " " + e);
  }

  @Provide
  Arbitrary<String> zones() {
    return Arbitraries.of("America/Toronto", "Australia/Sydney", "UTC");
  }

  @Provide
  Arbitrary<Instant> starts() {
    return Combinators.combine(Arbitraries.of(AROUND), Arbitraries.integers().between(0, 3 * 24 * 60))
        .as((base, minutes) -> base.plusSeconds(minutes * 60L + (minutes % 7) * 13L));
  }

  @Property(tries = 300)
  void cronSlotsAreTheMappedWallClockMinutesEachOnce(@ForAll("crons") String cron, @ForAll("zones") String zone,
      @ForAll("starts") Instant from) {
    ScheduleSpec spec;
    try {
      spec = ScheduleSpec.of("cron", null, cron, zone, null, null, CHECKED_AT);
    } catch (ScheduleException e) {
      return; // a day-of-month/month mix that never fires is refused, which is right
    }
    Instant to = from.plus(Duration.ofDays(2));
    ZoneId z = ZoneId.of(zone);

    TreeSet<Instant> expected = new TreeSet<>();
    LocalDateTime local = LocalDateTime.ofInstant(from, z).withSecond(0).withNano(0).minusHours(2);
    LocalDateTime end = LocalDateTime.ofInstant(to, z).plusHours(2);
    for (; local.isBefore(end); local = local.plusMinutes(1)) {
      if (spec.matches(local)) {
        Instant at = spec.instant(local);
        if (at.isAfter(from) && at.isBefore(to)) {
          expected.add(at);
        }
      }
    }

    List<Instant> walked = new ArrayList<>();
    Instant t = from;
    while (true) {
      var next = spec.next(t);
      if (next.isEmpty() || !next.get().isBefore(to)) {
        break;
      }
      assertThat(next.get()).as("strictly after %s", t).isAfter(t);
      walked.add(next.get());
      t = next.get();
    }
    assertThat(walked).as("%s in %s from %s", cron, zone, from).containsExactlyElementsOf(expected);

    Set<LocalDateTime> wallTimes = new HashSet<>();
    for (Instant slot : walked) {
      assertThat(wallTimes.add(LocalDateTime.ofInstant(slot, z))).as("%s fired twice on the wall clock", slot)
          .isTrue();
    }
  }

  @Property(tries = 200)
  void intervalSlotsAreExactlyThePeriodApartAndNoneIsSkipped(@ForAll("zones") String zone,
      @ForAll("starts") Instant from, @ForAll("periods") int every) {
    ScheduleSpec spec = ScheduleSpec.of("interval", every, null, zone, null, null, CHECKED_AT);
    Instant first = spec.next(from).orElseThrow();
    assertThat(first).isAfter(from);
    assertThat(first.minusSeconds(every)).isBeforeOrEqualTo(from);
    List<Instant> slots = spec.upcoming(first, 50);
    for (int i = 1; i < slots.size(); i++) {
      assertThat(Duration.between(slots.get(i - 1), slots.get(i))).isEqualTo(Duration.ofSeconds(every));
    }
  }

  @Provide
  Arbitrary<Integer> periods() {
    return Arbitraries.oneOf(Arbitraries.of(60, 300, 900, 3600, 86_400), Arbitraries.integers().between(60, 90_000));
  }
}
