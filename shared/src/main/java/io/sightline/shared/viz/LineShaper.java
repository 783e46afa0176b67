package io.sightline.shared.viz;

/** A shaper that wants a few columns of each row: splits the chunk into lines and scans each for those columns. */
abstract class LineShaper implements Shaper {
  private final RowScanner scanner;
  private final int columnCount;
  private final int[] wanted;

  LineShaper(int columnCount, int[] wanted) {
    this.scanner = new RowScanner(columnCount, wanted);
    this.columnCount = columnCount;
    this.wanted = wanted.clone();
  }

  /** A scanner of its own, for work on another thread. */
  RowScanner newScanner() {
    return new RowScanner(columnCount, wanted);
  }

  /** Calls {@code row} for each line of {@code data[0, length)}, scanned by {@code scanner}. */
  static void eachRow(byte[] data, int length, RowScanner scanner, java.util.function.Consumer<RowScanner> row) {
    int start = 0;
    while (start < length) {
      int stop = scanner.scan(data, start, length);
      if (stop >= 0) {
        row.accept(scanner);
      }
      int p = Math.max(start, stop);
      while (p < length && data[p] != '\n') {
        p++;
      }
      start = p + 1;
    }
  }

  @Override
  public void lines(byte[] data, int length) {
    eachRow(data, length, scanner, this::row);
  }

  RowScanner scanner() {
    return scanner;
  }

  /** One row; the wanted columns are in the scanner's slots, in the order given to the constructor. */
  abstract void row(RowScanner row);
}
