package io.sightline.shared.viz;

import io.sightline.shared.result.ResultHeader;
import io.sightline.shared.result.ResultPage;
import io.sightline.shared.result.ResultReader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Runs a {@link Shaper} over a stored result: the first and last rows when it wants them (two one-row pages), then
 * pass after pass streaming the chunks through {@link ResultReader#forEachChunk} (one decompressed chunk in memory at
 * a time), every chunk fed to the shaper on a worker thread — never on the event loop.
 */
public final class ResultShaping {
  private ResultShaping() {}

  public static Future<JsonObject> shape(Vertx vertx, ResultReader reader, String orgId, String resultId,
      ResultHeader header, Shaper shaper) {
    long rows = header.rowCount();
    Future<Void> ends = !shaper.wantsEnds() || rows == 0 ? Future.succeededFuture()
        : reader.page(orgId, resultId, 0, 1).compose(first -> reader.page(orgId, resultId, rows - 1, 1)
            .map(last -> {
              shaper.ends(line(first), line(last));
              return null;
            }));
    Promise<Void> passes = Promise.promise();
    ends.onSuccess(v -> pass(vertx, reader, orgId, resultId, rows, shaper, 0, passes)).onFailure(passes::fail);
    return passes.future().compose(v -> vertx.executeBlocking(() -> shaper.finish(header.truncated(),
        header.truncatedReason()), false));
  }

  private static void pass(Vertx vertx, ResultReader reader, String orgId, String resultId, long rows, Shaper shaper,
      int pass, Promise<Void> done) {
    vertx.executeBlocking(() -> shaper.begin(pass, rows), false)
        .compose(more -> !more ? Future.succeededFuture(false) : readAll(vertx, reader, orgId, resultId, shaper)
            .map(true))
        .onSuccess(more -> {
          if (more) {
            pass(vertx, reader, orgId, resultId, rows, shaper, pass + 1, done);
          } else {
            done.complete();
          }
        })
        .onFailure(done::fail);
  }

  /**
   * Every chunk to the shaper, in order. The reader fetches and decompresses the next chunk while this one is shaped;
   * when the shaper allows it ({@link Shaper#parallel}), chunks are also parsed two at a time on worker threads and
   * applied in order. At most three decompressed chunks (or their parsed rows) are held at once.
   */
  private static Future<Void> readAll(Vertx vertx, ResultReader reader, String orgId, String resultId, Shaper shaper) {
    boolean parallel = shaper.parallel();
    @SuppressWarnings("unchecked")
    Future<Void>[] applied = new Future[] {Future.succeededFuture(), Future.succeededFuture()};
    return reader.forEachChunk(orgId, resultId, chunk -> {
      Future<Void> beforePrevious = applied[0];
      Future<Void> previous = applied[1];
      Future<Void> mine;
      if (parallel) {
        Future<Object> prepared = vertx.executeBlocking(() -> {
          byte[] lines = chunk.getBytes();
          return shaper.prepare(lines, lines.length);
        }, false);
        mine = previous.compose(v -> prepared).compose(batch -> vertx.executeBlocking(() -> {
          shaper.apply(batch);
          return null;
        }, false));
      } else {
        mine = previous.compose(v -> vertx.executeBlocking(() -> {
          byte[] lines = chunk.getBytes();
          shaper.lines(lines, lines.length);
          return null;
        }, false));
      }
      applied[0] = previous;
      applied[1] = mine;
      // the reader fetches the next chunk once the one before the previous is done: two in the works at a time
      return parallel ? beforePrevious : previous;
    }).compose(v -> applied[1]);
  }

  /** The one row of a one-row page ({@code [row]}) as a JSON line. */
  private static byte[] line(ResultPage page) {
    Buffer rows = page.rowsJson();
    return rows.getBytes(1, Math.max(1, rows.length() - 1));
  }
}
