package io.sightline.shared.params;

/**
 * Something odd about a query's parameters that does not stop a save: an unused declaration, an undeclared
 * placeholder... {@code parameter} is the name concerned (for a malformed placeholder, the text between its braces).
 */
public record Warning(String parameter, String message) {}
