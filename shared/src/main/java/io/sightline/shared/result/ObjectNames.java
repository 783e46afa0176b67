package io.sightline.shared.result;

/** Names of chunk objects, shared by every store: {@code <location>/<chunkNo>.jsonl.zst}. */
final class ObjectNames {
  static final String SUFFIX = ".jsonl.zst";

  private ObjectNames() {}

  static String chunkFile(int chunkNo) {
    if (chunkNo < 0) {
      throw new IllegalArgumentException("negative chunk number " + chunkNo);
    }
    return chunkNo + SUFFIX;
  }
}
