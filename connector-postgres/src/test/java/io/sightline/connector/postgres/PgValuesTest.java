package io.sightline.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.connector.ColumnMeta;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.data.Interval;
import java.net.InetAddress;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the golden files cannot easily show; the golden files (GoldenFileTest) are the main specification. */
class PgValuesTest {

  @Test
  void arrayColumnsTakeTheirElementTypeFromTheClientTypeName() {
    assertThat(PgValues.column("ids", "INT8_ARRAY")).isEqualTo(new ColumnMeta("ids", "array", "int8[]", "bigint"));
    assertThat(PgValues.column("tags", "UNKNOWN_ARRAY"))
        .isEqualTo(new ColumnMeta("tags", "array", "unknown[]", "unknown"));
  }

  @Test
  void aTypeNameTheClientMayAddLaterIsUnknown() {
    assertThat(PgValues.column("x", "GEOMETRY")).isEqualTo(new ColumnMeta("x", "unknown", "geometry"));
    assertThat(PgValues.column("x", null)).isEqualTo(new ColumnMeta("x", "unknown", "unknown"));
  }

  @Test
  void byteaIsCutToTheCapBeforeBase64() {
    byte[] bytes = new byte[ColumnMeta.BYTEA_CAP + 10];
    bytes[ColumnMeta.BYTEA_CAP - 1] = 7;
    bytes[ColumnMeta.BYTEA_CAP] = 9;
    byte[] decoded = Base64.getDecoder().decode(PgValues.bytea(Buffer.buffer(bytes)));
    assertThat(decoded).hasSize(ColumnMeta.BYTEA_CAP);
    assertThat(decoded[ColumnMeta.BYTEA_CAP - 1]).isEqualTo((byte) 7);
  }

  @Test
  void infiniteIntervalsAreRecognisedOnlyByTheirExactClientFields() {
    assertThat(PgDateTimes.interval(PgDateTimes.clientInterval(Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE)))
        .isEqualTo("infinity");
    assertThat(PgDateTimes.interval(PgDateTimes.clientInterval(Long.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE)))
        .isEqualTo("-infinity");
    assertThat(PgDateTimes.interval(PgDateTimes.clientInterval(Long.MAX_VALUE - 1, Integer.MAX_VALUE, Integer.MAX_VALUE)))
        .isNotEqualTo("infinity");
  }

  @Test
  void intervalSecondsKeepTheSignOfTheirFraction() {
    assertThat(PgDateTimes.interval(new Interval(0, 0, 0, 0, 0, 0, -500000))).isEqualTo("PT-0.5S");
    assertThat(PgDateTimes.interval(new Interval(0, 0, 0, -1, 0, -2, -10))).isEqualTo("PT-1H-2.00001S");
  }

  @Test
  void timestampsBeyondYear9999CarryAPlusSign() {
    assertThat(PgDateTimes.timestamp(LocalDateTime.of(12345, 1, 2, 3, 4, 5, 600_000_000)))
        .isEqualTo("+12345-01-02T03:04:05.6");
  }

  @Test
  void ipv6CompressesOnlyTheFirstLongestRunOfAtLeastTwoZeroGroups() throws Exception {
    assertThat(PgValues.inet(InetAddress.getByName("1:0:0:1:0:0:0:1"), null)).isEqualTo("1:0:0:1::1");
    assertThat(PgValues.inet(InetAddress.getByName("1:0:0:1:1:0:0:1"), null)).isEqualTo("1::1:1:0:0:1");
    assertThat(PgValues.inet(InetAddress.getByName("1:0:1:1:1:1:1:1"), null)).isEqualTo("1:0:1:1:1:1:1:1");
    assertThat(PgValues.inet(InetAddress.getByName("::"), 0)).isEqualTo("::/0");
    assertThat(PgValues.inet(InetAddress.getByName("fe80::abcd"), 64)).isEqualTo("fe80::abcd/64");
  }

  @Test
  void unknownArraysAreQuotedAsPostgresQuotesThem() {
    assertThat(PgValues.unknownArrayText(new String[] {"a", null, "NULL", "", "x\"y\\z", "tab\there", "é"}))
        .isEqualTo("{a,NULL,\"NULL\",\"\",\"x\\\"y\\\\z\",\"tab\there\",é}");
  }

  @Test
  void float4KeepsItsShortestDecimalForm() {
    assertThat(PgValues.widen(1.1f)).isEqualTo(1.1d);
    assertThat(PgValues.widen(-0.0f)).isEqualTo(-0.0d);
    assertThat(PgValues.widen(Float.NaN)).isNaN();
    assertThat(PgValues.widen(16777216f)).isEqualTo(16777216d);
  }

  @Test
  void geometricNumbersArePrintedAsPostgresPrintsThem() {
    assertThat(List.of(PgValues.number(1), PgValues.number(-2.5), PgValues.number(1e20), PgValues.number(1.5e-7)))
        .containsExactly("1", "-2.5", "1e+20", "1.5e-07");
  }
}
