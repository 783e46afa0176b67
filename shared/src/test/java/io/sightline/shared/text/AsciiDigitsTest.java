package io.sightline.shared.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AsciiDigitsTest {

  private static String write(long v) {
    byte[] b = new byte[24];
    int end = AsciiDigits.write(b, 2, v);
    return new String(b, 2, end - 2, StandardCharsets.US_ASCII);
  }

  @Test
  void writesEveryLongAsLongToStringDoes() {
    long[] edges = {0, 1, 9, 10, 99, 100, 101, 999, 1000, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L,
        Integer.MIN_VALUE, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE + 1, -1, -10, -99};
    for (long v : edges) {
      assertThat(write(v)).as("%d", v).isEqualTo(Long.toString(v));
    }
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < 200_000; i++) {
      long v = random.nextLong() >> random.nextInt(64);  // every magnitude, both signs
      assertThat(write(v)).isEqualTo(Long.toString(v));
    }
    for (int digits = 1; digits <= 18; digits++) {
      long p = AsciiDigits.POWERS_OF_TEN[digits];
      assertThat(AsciiDigits.length(p - 1)).isEqualTo(digits);
      assertThat(AsciiDigits.length(p)).isEqualTo(digits + 1);
    }
  }

  @Test
  void fixedWidthPadsWithZerosAndTouchesNothingElse() {
    byte[] b = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".getBytes(StandardCharsets.US_ASCII);
    AsciiDigits.fixed(b, 1, 6, 5200);
    assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo("x005200xxxxxxxxxxxxxxxxxxxxxxxxx");
    AsciiDigits.fixed(b, 0, 1, 7);
    AsciiDigits.fixed(b, 10, 18, 123_456_789_012_345_678L % AsciiDigits.POWERS_OF_TEN[18]);
    assertThat(new String(b, 0, 7, StandardCharsets.US_ASCII)).isEqualTo("7005200");
    assertThat(new String(b, 10, 18, StandardCharsets.US_ASCII)).isEqualTo("123456789012345678");
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 50_000; i++) {
      int width = 1 + random.nextInt(18);
      long v = random.nextLong(AsciiDigits.POWERS_OF_TEN[width]);
      byte[] out = new byte[width];
      AsciiDigits.fixed(out, 0, width, v);
      assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo(String.format("%0" + width + "d", v));
    }
  }
}
