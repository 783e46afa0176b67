package io.sightline.shared.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void blocksAndSingleAddressesOfBothFamilies() {
    Cidr ten = Cidr.parse("10.0.0.0/8").orElseThrow();
    assertThat(ten.contains("10.200.3.4")).isTrue();
    assertThat(ten.contains("11.0.0.1")).isFalse();
    assertThat(ten.contains("::ffff:10.1.2.3")).as("IPv4-mapped IPv6 is the IPv4 address").isTrue();
    Cidr one = Cidr.parse(" 192.168.1.7 ").orElseThrow();
    assertThat(one.contains("192.168.1.7")).isTrue();
    assertThat(one.contains("192.168.1.8")).isFalse();
    Cidr v6 = Cidr.parse("2001:db8::/32").orElseThrow();
    assertThat(v6.contains("2001:db8:1::5")).isTrue();
    assertThat(v6.contains("[2001:db8::1]")).isTrue();
    assertThat(v6.contains("2001:db9::1")).isFalse();
    assertThat(v6.contains("10.0.0.1")).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").orElseThrow().contains("8.8.8.8")).isTrue();
    assertThat(Cidr.parse("10.1.2.3/20").orElseThrow()).hasToString("10.1.0.0/20");
  }

  @Test
  void namesAndGarbageAreNeverAddressesAndNeverLookedUp() {
    assertThat(Cidr.parse("localhost")).isEmpty();
    assertThat(Cidr.parse("proxy.internal/24")).isEmpty();
    assertThat(Cidr.parse("10.0.0.0/33")).isEmpty();
    assertThat(Cidr.parse("10.0.0.0/-1")).isEmpty();
    assertThat(Cidr.parse("10.0.0.0/x")).isEmpty();
    assertThat(Cidr.parse("")).isEmpty();
    assertThat(Cidr.parse(null)).isEmpty();
    assertThat(Cidr.parse("999.1.1.1")).isEmpty();
    Cidr ten = Cidr.parse("10.0.0.0/8").orElseThrow();
    assertThat(ten.contains("example.com")).isFalse();
    assertThat(ten.contains("unknown")).isFalse();
    assertThat(ten.contains("")).isFalse();
  }
}
