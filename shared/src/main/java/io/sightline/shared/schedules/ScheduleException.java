package io.sightline.shared.schedules;

/**
 * A schedule that cannot be saved or fired as given: {@code field} is the JSON pointer of the offending part of a
 * schedule body ({@code /cron}, {@code /timezone}, {@code /params/region}, …), so the API answers a 400 naming it.
 */
public final class ScheduleException extends RuntimeException {
  private final String field;

  public ScheduleException(String field, String message) {
    super(message, null, false, false);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
