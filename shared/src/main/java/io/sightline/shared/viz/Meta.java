package io.sightline.shared.viz;

import io.vertx.core.json.JsonObject;

/** ShapeMeta of types.ts: the facts a chart shows as a badge rather than hides. */
final class Meta {
  long sourceRows;
  long points;
  boolean sampled;
  boolean seriesTruncated;
  int otherSeries;
  long nulls;
  boolean categoriesTruncated;

  JsonObject toJson(boolean resultTruncated, String truncatedReason) {
    return new JsonObject().put("sourceRows", sourceRows).put("points", points).put("sampled", sampled)
        .put("seriesTruncated", seriesTruncated).put("otherSeries", otherSeries).put("nulls", nulls)
        .put("resultTruncated", resultTruncated).put("resultTruncatedReason", truncatedReason)
        .put("categoriesTruncated", categoriesTruncated);
  }
}
