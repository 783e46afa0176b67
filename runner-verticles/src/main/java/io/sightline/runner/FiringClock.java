package io.sightline.runner;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock a runner process fires schedules by: the system's. <b>For tests only</b>, the system property
 * {@value #PROPERTY} = {@code <start instant>,<real epoch ms>,<rate>} (e.g. {@code 2030-01-07T12:00:00Z,1764730000000,12})
 * makes it a fast-forwarding clock shared by separate runner processes: {@code start + (real now − real epoch ms) ×
 * rate}, standing still at {@code start} before the real epoch. Separate JVMs given the same value read the same time,
 * so a test can play many one-minute slots in seconds without lowering the model's 60 s minimum. Only the firing of
 * schedules reads it (runs, leases and timeouts keep real time); a runner started with it says so in its log.
 */
final class FiringClock {
  static final String PROPERTY = "sightline.test.scheduleClock";
  private static final Logger LOG = LoggerFactory.getLogger(FiringClock.class);

  private FiringClock() {}

  /** The system clock, or the test clock the property describes. */
  static Clock fromSystemProperties() {
    String spec = System.getProperty(PROPERTY);
    if (spec == null || spec.isBlank()) {
      return Clock.systemUTC();
    }
    String[] parts = spec.split(",");
    if (parts.length != 3) {
      throw new IllegalArgumentException(PROPERTY + " must be <start instant>,<real epoch ms>,<rate>: " + spec);
    }
    LOG.warn("schedules fire by a TEST clock ({}={}): never set this in production", PROPERTY, spec);
    return scaled(Instant.parse(parts[0].trim()), Long.parseLong(parts[1].trim()),
        Double.parseDouble(parts[2].trim()));
  }

  /** {@code start + (real now − realEpochMs) × rate}, never before {@code start}. */
  static Clock scaled(Instant start, long realEpochMs, double rate) {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        long elapsed = Math.max(0, System.currentTimeMillis() - realEpochMs);
        return start.plusMillis(Math.round(elapsed * rate));
      }
    };
  }

  /** The property's value for {@link #scaled} (what a test passes to its runner processes). */
  static String property(Instant start, long realEpochMs, double rate) {
    return start + "," + realEpochMs + "," + rate;
  }
}
