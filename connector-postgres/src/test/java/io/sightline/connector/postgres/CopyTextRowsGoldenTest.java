package io.sightline.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * {@link CopyTextRows} against the golden files, the specification of stored values: each {@code golden/NAME.sql}
 * is read with {@code COPY (query) TO STDOUT} (after its setup: the time zones and types it sets), and where every
 * column's type is one CopyTextRows maps, its lines must be byte for byte the golden file's rows — the bytes the
 * cursor path stores. Files with other types must be refused (those results would keep the cursor path).
 */
@ExtendWith(PostgresExtension.class)
class CopyTextRowsGoldenTest {
  private static final String QUERY_MARKER = "-- query";
  private static Connection jdbc;

  @BeforeAll
  static void connect(TestDatabase db) throws SQLException {
    jdbc = DriverManager.getConnection("jdbc:postgresql://" + db.url().host() + ":" + db.url().port() + "/"
        + db.url().database(), db.url().user(), db.url().password().value());
    jdbc.setAutoCommit(false);
  }

  @AfterAll
  static void close() throws SQLException {
    if (jdbc != null) {
      jdbc.close();
    }
  }

  @Test
  void everyGoldenFileOfMappedTypesReadsThroughCopyToItsGoldenRowsAndTheOthersAreRefused() throws Exception {
    TreeMap<String, String> outcome = new TreeMap<>();
    List<String> mismatches = new ArrayList<>();
    try (Stream<Path> files = Files.list(goldenDir())) {
      for (Path sql : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
        String name = sql.getFileName().toString().replace(".sql", "");
        String file = Files.readString(sql, StandardCharsets.UTF_8);
        List<String> golden = goldenRows(sql.resolveSibling(name + ".golden.json"));
        try {
          Optional<List<String>> lines = readThroughCopy(file);
          if (lines.isEmpty()) {
            outcome.put(name, "refused");
          } else if (lines.get().equals(golden)) {
            outcome.put(name, "same");
          } else {
            outcome.put(name, "DIFFERENT");
            mismatches.add(name + ":\n  copy:   " + String.join("\n          ", lines.get())
                + "\n  golden: " + String.join("\n          ", golden));
          }
        } finally {
          jdbc.rollback();
        }
      }
    }
    assertThat(mismatches).as("files whose COPY lines differ from their golden rows").isEmpty();
    assertThat(outcome).as("what each golden file gave").containsAllEntriesOf(new TreeMap<>(java.util.Map.ofEntries(
        java.util.Map.entry("boolean", "same"), java.util.Map.entry("column_names", "same"),
        java.util.Map.entry("dates", "same"),
        java.util.Map.entry("floats", "same"), java.util.Map.entry("integers", "same"),
        java.util.Map.entry("numeric", "same"), java.util.Map.entry("text", "same"),
        java.util.Map.entry("timestamps", "same"), java.util.Map.entry("timestamptz", "same"),
        java.util.Map.entry("uuid", "same"), java.util.Map.entry("arrays", "refused"),
        java.util.Map.entry("bytea", "refused"), java.util.Map.entry("json", "refused"),
        java.util.Map.entry("interval", "refused"), java.util.Map.entry("times", "refused"))));
  }

  @Test
  void textWithEveryEscapeControlCharacterAndFourByteCharacterReadsAsTheCursorPathStoresIt() throws Exception {
    String query = "select E'tab\\there, newline\\nthere, cr\\r, backslash \\\\ quote \" bell \\007 vt \\013"
        + " del \\177 é € 😀 \\u0001 end' as t, 'plain' as u";
    List<String> lines = readThroughCopy(query).orElseThrow();
    jdbc.rollback();
    assertThat(lines).containsExactly("[\"tab\\there, newline\\nthere, cr\\r, backslash \\\\ quote \\\" bell \\u0007"
        + " vt \\u000B del \u007f é € \\uD83D\\uDE00 \\u0001 end\",\"plain\"]");
  }

  @Test
  void integersBeyondTwoToThe53AreStringsAndTimestamptzMovesToUtcAcrossDaysAndYears() throws Exception {
    String file = "SET TimeZone = 'America/St_Johns';\n" + QUERY_MARKER + "\nselect 9007199254740991::int8 as safe,"
        + " 9007199254740992::int8 as beyond, (-9223372036854775808)::int8 as least,"
        + " timestamptz '2026-12-31 23:30:00.25' as new_year, '1.5'::float4 as f, 'NaN'::numeric as n";
    List<String> lines = readThroughCopy(file).orElseThrow();
    jdbc.rollback();
    assertThat(lines).containsExactly("[9007199254740991,\"9007199254740992\",\"-9223372036854775808\","
        + "\"2027-01-01T03:00:00.25Z\",1.5,\"NaN\"]");
  }

  /** The file's setup, then its query through COPY; empty when a column's type is not mapped. */
  private static Optional<List<String>> readThroughCopy(String file) throws SQLException, IOException {
    int marker = file.indexOf("\n" + QUERY_MARKER + "\n");
    String setup = marker < 0 ? "" : file.substring(0, marker);
    String query = (marker < 0 ? file : file.substring(marker + QUERY_MARKER.length() + 2)).strip();
    if (query.endsWith(";")) {
      query = query.substring(0, query.length() - 1);
    }
    try (Statement st = jdbc.createStatement()) {
      if (setup.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("--"))) {
        st.execute(setup);
      }
      try (ResultSet style = st.executeQuery("show DateStyle")) {
        style.next();
        assertThat(style.getString(1)).as("the session's DateStyle (pgjdbc asks for ISO)").startsWith("ISO");
      }
    }
    List<String> types = new ArrayList<>();
    ResultSetMetaData meta = jdbc.prepareStatement(query).getMetaData();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      types.add(meta.getColumnTypeName(i));
    }
    Optional<CopyTextRows> rows = CopyTextRows.of(types);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    CopyOut copy = ((PGConnection) jdbc).getCopyAPI().copyOut("COPY (" + query + "\n) TO STDOUT");
    List<String> lines = new ArrayList<>();
    byte[] row;
    while ((row = copy.readFromCopy()) != null) {
      byte[] out = new byte[rows.get().maxLine(row.length)];
      int end = rows.get().line(row, row.length, out, 0);
      assertThat(out[end - 1]).isEqualTo((byte) '\n');
      lines.add(new String(out, 0, end - 1, StandardCharsets.UTF_8));
    }
    return Optional.of(lines);
  }

  /** The golden file's rows, each exactly as the encoder wrote it (one per line, see GoldenFileTest#render). */
  private static List<String> goldenRows(Path golden) throws IOException {
    List<String> rows = new ArrayList<>();
    boolean in = false;
    for (String line : Files.readAllLines(golden, StandardCharsets.UTF_8)) {
      if (line.startsWith("  \"rows\": [")) {
        in = !line.endsWith("]");
      } else if (in && line.equals("  ]")) {
        in = false;
      } else if (in) {
        String row = line.strip();
        rows.add(row.endsWith(",") ? row.substring(0, row.length() - 1) : row);
      }
    }
    return rows;
  }

  private static Path goldenDir() {
    return Path.of("src", "test", "resources", "golden");
  }
}
