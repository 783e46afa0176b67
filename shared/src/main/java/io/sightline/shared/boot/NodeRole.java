package io.sightline.shared.boot;

/** What a Sightline process is. Logged, announced to cluster peers and shown in readiness checks. */
public enum NodeRole {
  API("api"),
  RUNNER("runner"),
  STANDALONE("standalone");

  private final String label;

  NodeRole(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
