package io.sightline.shared.viz;

import io.sightline.shared.result.ResultHeader;
import io.sightline.shared.result.ResultReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Runs a {@link Shaper} over a stored result: each pass streams the chunks through
 * {@link ResultReader#forEachChunk} (one decompressed chunk in memory at a time) and feeds each to the shaper on a
 * worker thread, never on the event loop.
 */
public final class ResultShaping {
  private ResultShaping() {}

  public static Future<JsonObject> shape(Vertx vertx, ResultReader reader, String orgId, String resultId,
      ResultHeader header, Shaper shaper) {
    int passes = shaper.passes(header.rowCount());
    Future<Void> done = Future.succeededFuture();
    for (int p = 0; p < passes; p++) {
      int pass = p;
      done = done.compose(v -> vertx.executeBlocking(() -> {
        shaper.begin(pass);
        return null;
      }, false)).compose(v -> reader.forEachChunk(orgId, resultId, chunk -> vertx.executeBlocking(() -> {
        byte[] lines = chunk.getBytes();
        shaper.lines(lines, lines.length);
        return null;
      }, false)));
    }
    return done.compose(v -> vertx.executeBlocking(() -> shaper.finish(header.truncated(),
        header.truncatedReason()), false));
  }
}
