package io.sightline.shared.viz;

/**
 * A visualization config that cannot be drawn from this result: a missing or wrong field, a column the result does
 * not have, a y column that is not a number. {@link #field()} is the JSON pointer into the request body
 * ({@code /config/x/column}); the api answers 400 naming it.
 */
public final class ShapeException extends IllegalArgumentException {
  private final String field;

  public ShapeException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
