package io.sightline.shared.runs;

/**
 * An enqueue met an identical execution that kept ending (cancelled, or finishing) while it tried to join it, and gave
 * up after a few attempts; asking again a moment later succeeds.
 */
public final class IdenticalRunEndingException extends RuntimeException {
  public IdenticalRunEndingException() {
    super("An identical run is being cancelled or is finishing; try again in a moment.", null, false, false);
  }
}
