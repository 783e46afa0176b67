package io.sightline.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Aligned text columns in the manner of psql: a header, a rule, then rows. Column widths come from the header and
 * the first batch of rows; later rows (a result streamed page by page) keep those widths, a longer cell just pushes
 * its line wider, so nothing needs the whole result in memory.
 */
final class Table {
  private final PrintStream out;
  private final List<String> header;
  private int[] widths;
  private long rows;

  Table(PrintStream out, List<String> header) {
    this.out = out;
    this.header = header;
  }

  /** Prints a batch of rows (the first batch also fixes the widths and prints the header). */
  void rows(List<List<String>> batch) {
    if (widths == null) {
      widths = new int[header.size()];
      List<List<String>> sized = new ArrayList<>(batch);
      sized.add(header);
      for (List<String> row : sized) {
        for (int i = 0; i < row.size() && i < widths.length; i++) {
          widths[i] = Math.max(widths[i], row.get(i).length());
        }
      }
      line(header);
      StringBuilder rule = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
      }
      out.println(rule);
    }
    batch.forEach(this::line);
    rows += batch.size();
  }

  long rowCount() {
    return rows;
  }

  private void line(List<String> cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      line.append(i == 0 ? "" : " | ").append(cell);
      if (i < cells.size() - 1) {
        line.append(" ".repeat(Math.max(0, widths[i] - cell.length())));
      }
    }
    out.println(line);
  }

  /** A whole small listing at once. */
  static void print(PrintStream out, List<String> header, List<List<String>> rows) {
    Table t = new Table(out, header);
    t.rows(rows);
  }
}
