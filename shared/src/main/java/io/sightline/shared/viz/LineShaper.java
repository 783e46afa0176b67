package io.sightline.shared.viz;

/** A shaper that wants a few columns of each row: splits the chunk into lines and scans each for those columns. */
abstract class LineShaper implements Shaper {
  private final RowScanner scanner;

  LineShaper(int columnCount, int[] wanted) {
    this.scanner = new RowScanner(columnCount, wanted);
  }

  @Override
  public void lines(byte[] data, int length) {
    int start = 0;
    while (start < length) {
      int stop = scanner.scan(data, start, length);
      if (stop >= 0) {
        row(scanner);
      }
      int p = Math.max(start, stop);
      while (p < length && data[p] != '\n') {
        p++;
      }
      start = p + 1;
    }
  }

  RowScanner scanner() {
    return scanner;
  }

  /** One row; the wanted columns are in the scanner's slots, in the order given to the constructor. */
  abstract void row(RowScanner row);
}
