package io.sightline.api.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Text that Postgres cannot store or that is not Unicode: a NUL character (Postgres refuses it in text and jsonb) or a
 * UTF-16 surrogate without its partner (a JSON {@code "\ud800"} escape decodes to one; the driver would store it as
 * {@code ?}). Every string of a request — body values and keys at any depth, query-string values — is checked here
 * before a handler runs, so such input is a 400 naming the field, never a database error.
 */
public final class TextCheck {
  private TextCheck() {}

  /** What is wrong with {@code text}, as a problem message; null when it is fine. */
  public static String problem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\0') {
        return "must not contain the NUL character (\\u0000)";
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "must be valid Unicode (it contains an unpaired surrogate \\u" + Integer.toHexString(c) + ")";
      }
    }
    return null;
  }

  /** {@code text} with every NUL and unpaired surrogate replaced by U+FFFD, fit to be echoed in a problem. */
  static String replaced(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        b.append(c).append(text.charAt(++i));
      } else {
        b.append(c == '\0' || Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }

  /** One offending string: its JSON pointer (or {@code ?name} for a query parameter) and the message. */
  public record Violation(String field, String message) {}

  /** Every offending string value or key in a parsed JSON value, with its JSON pointer under {@code pointer}. */
  public static List<Violation> walk(Object value, String pointer) {
    List<Violation> out = new ArrayList<>();
    walk(value, pointer, out);
    return out;
  }

  /** The JSON pointer of member {@code key} under {@code pointer}. */
  static String child(String pointer, String key) {
    return pointer + "/" + key.replace("~", "~0").replace("/", "~1");
  }

  private static void walk(Object value, String pointer, List<Violation> out) {
    if (value instanceof String s) {
      String message = problem(s);
      if (message != null) {
        out.add(new Violation(pointer, message));
      }
    } else if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        String keyMessage = problem(key);
        String child = child(pointer, keyMessage == null ? key : replaced(key));
        if (keyMessage != null) {
          out.add(new Violation(child, "name " + keyMessage));
        }
        walk(e.getValue(), child, out);
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), pointer + "/" + i, out);
      }
    }
  }
}
