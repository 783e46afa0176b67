package io.sightline.shared.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or a single address ({@code 10.0.0.5}):
 * which proxies' {@code X-Forwarded-For} Sightline believes. Literal addresses only — never a host name, so parsing
 * never does a DNS lookup.
 */
public final class Cidr {
  private final byte[] network;
  private final int prefix;

  private Cidr(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /** The block {@code text} names, or empty when it is not an address literal with an optional valid prefix. */
  public static Optional<Cidr> parse(String text) {
    String t = text == null ? "" : text.trim();
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    Optional<byte[]> bytes = literal(address);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    int bits = bytes.get().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      if (prefix < 0 || prefix > bits) {
        return Optional.empty();
      }
    }
    return Optional.of(new Cidr(mask(bytes.get(), prefix), prefix));
  }

  /** Whether {@code address} (a literal, as a socket reports it) lies in this block; a name or garbage never does. */
  public boolean contains(String address) {
    return literal(address).map(b -> b.length == network.length && Arrays.equals(mask(b, prefix), network))
        .orElse(false);
  }

  /** The bytes of an IPv4 or IPv6 literal (IPv4-mapped IPv6 as IPv4); empty for anything else, names included. */
  static Optional<byte[]> literal(String address) {
    if (address == null || address.isEmpty() || !address.matches("[0-9A-Fa-f:.%\\[\\]]+")
        || !(address.contains(":") || address.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
      return Optional.empty();
    }
    String bare = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
        : address;
    int zone = bare.indexOf('%');
    if (zone >= 0) {
      bare = bare.substring(0, zone);
    }
    try {
      // a literal (checked above: digits, dots, hex and colons only) is parsed without any lookup
      return Optional.of(InetAddress.getByName(bare).getAddress());
    } catch (UnknownHostException | SecurityException e) {
      return Optional.empty();
    }
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] = (byte) (out[i] & (keep == 0 ? 0 : 0xFF << (8 - keep)));
    }
    return out;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      return "?/" + prefix;
    }
  }
}
