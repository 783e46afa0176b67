package io.sightline.api.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV conversion of stored rows: numbers stay numbers however they travel; only text is guarded. */
class CsvRowsTest {

  private static String csv(List<String> types, String jsonLines) {
    return CsvRows.convert(Buffer.buffer(jsonLines), CsvRows.numericColumns(types)).toString();
  }

  @Test
  void exactNegativeNumbersTravellingAsStringsStayNumbers() {
    // a numeric(24,6) sum and a bigint beyond 2^53 are stored as exact strings (docs/result-format.md)
    String out = csv(List.of("text", "decimal", "bigint", "integer", "number"),
        "[\"etf\",\"-165236003391.073400\",\"-9007199254740993\",-5,-0.5]\n"
            + "[\"fx\",\"-0.000000000000000001\",\"9007199254740993\",7,\"-1e-18\"]\n");
    assertThat(out).isEqualTo("etf,-165236003391.073400,-9007199254740993,-5,-0.5\r\n"
        + "fx,-0.000000000000000001,9007199254740993,7,-1e-18\r\n");
  }

  @Test
  void textThatLooksLikeANegativeNumberIsStillGuarded() {
    String out = csv(List.of("text", "text"), "[\"-9007199254740993\",\"=1+1\"]\n");
    assertThat(out).isEqualTo("'-9007199254740993,'=1+1\r\n");
  }

  @Test
  void aNumericColumnsNonNumberStringsAreGuardedLikeText() {
    // Postgres numeric also prints NaN and ±Infinity; anything not in plain number notation is treated as text
    String out = csv(List.of("decimal", "decimal", "decimal"), "[\"NaN\",\"-Infinity\",\"-1+2\"]\n");
    assertThat(out).isEqualTo("NaN,'-Infinity,'-1+2\r\n");
  }

  @Test
  void nullsAndStructuresKeepTheirShape() {
    String out = csv(List.of("bigint", "json"), "[null,{\"k\":[-1,2]}]\n");
    assertThat(out).isEqualTo(",\"{\"\"k\"\":[-1,2]}\"\r\n");
  }

  @Test
  void jsonDocumentsThatTravelAsTextAreWrittenAsTheirText() {
    // format version 2: a json document is its JSON text in a string; a JSON null document is "null", SQL NULL empty
    String out = csv(List.of("json", "json", "json", "json", "json"),
        "[\"{\\\"k\\\":[-1,2]}\",\"null\",null,\"-5\",\"\\\"=x\\\"\"]\n");
    assertThat(out).isEqualTo("\"{\"\"k\"\":[-1,2]}\",null,,-5,\"\"\"=x\"\"\"\r\n");
  }
}
