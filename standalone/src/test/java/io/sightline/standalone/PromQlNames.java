package io.sightline.standalone;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads — enough PromQL for the dashboard's and the rules' expressions: label
 * matchers, ranges, grouping clauses, strings and Grafana variables are dropped; what remains that is not a function,
 * a keyword or a number is a metric name.
 */
final class PromQlNames {
  private static final Pattern DROPPED = Pattern.compile(
      "\"(?:[^\"\\\\]|\\\\.)*\"|\\{[^}]*}|\\[[^]]*]|\\$\\w+|"
          + "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
      "ignoring", "group_left", "group_right", "inf", "nan");

  private PromQlNames() {}

  static Set<String> of(String expr) {
    String rest = DROPPED.matcher(expr).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(rest);
    while (m.find()) {
      boolean call = m.group(1) != null;
      String word = m.group().replaceAll("[\\s(]", "");
      boolean partOfNumber = m.start() > 0 && Character.isDigit(rest.charAt(m.start() - 1));
      if (!call && !partOfNumber && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
        names.add(word);
      }
    }
    return names;
  }
}
