package io.sightline.shared.connector;

/** A JSON document the datasource produced (json/jsonb), passed through to the result as-is. */
public record RawJson(String text) {}
