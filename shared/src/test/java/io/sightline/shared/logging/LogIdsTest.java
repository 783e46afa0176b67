package io.sightline.shared.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.config.ConfigException;
import io.sightline.shared.config.ConfigLoader;
import io.sightline.testkit.JsonLogs;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON log lines: one object per line with the standard fields and the ids that apply — bound per duplicated context
 * (a request) or scoped around a line (a run) — never another request's or run's, however their callbacks interleave
 * on one event loop.
 */
class LogIdsTest {
  private static final Logger LOG = LoggerFactory.getLogger("io.sightline.test.logids");

  @Test
  void aLineIsOneJsonObjectWithTheStandardFieldsAndTheException() {
    List<JsonObject> lines;
    try (JsonLogs logs = new JsonLogs(LOG.getName())) {
      LOG.info("plain \"quoted\" line\nwith a newline");
      LOG.error("it broke", new IllegalStateException("boom"));
      LogIds.logWith(() -> LOG.warn("run line"), LogIds.RUN_ID, "r-1", LogIds.ORG_ID, "o-1", LogIds.DATASOURCE_ID,
          "d-1");
      LOG.info("after the run line");
      lines = logs.lines();
    }
    assertThat(lines).hasSize(4);
    JsonObject plain = lines.get(0);
    assertThat(plain.getString("message")).isEqualTo("plain \"quoted\" line\nwith a newline");
    assertThat(plain.getString("level")).isEqualTo("INFO");
    assertThat(plain.getString("logger")).isEqualTo(LOG.getName());
    assertThat(plain.getString("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.*");
    assertThat(plain.fieldNames()).doesNotContain("@version", "level_value", "run_id", "request_id");
    assertThat(lines.get(1).getString("exception")).contains("IllegalStateException: boom", "\tat ");
    JsonObject run = lines.get(2);
    assertThat(List.of(run.getString("run_id"), run.getString("org_id"), run.getString("datasource_id")))
        .containsExactly("r-1", "o-1", "d-1");
    assertThat(lines.get(3).fieldNames()).as("the scope ended with the line").doesNotContain("run_id", "org_id");
  }

  @Test
  void interleavedRequestsAndRunsNeverLogEachOthersIds() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<JsonObject> lines;
    try (JsonLogs logs = new JsonLogs(LOG.getName())) {
      ContextInternal loop = (ContextInternal) vertx.getOrCreateContext();
      Promise<Void> done = Promise.promise();
      loop.runOnContext(v -> {
        // the verticle's own context: nothing may be bound there (it outlives every request)
        LogIds.bind(LogIds.REQUEST_ID, "never");
        LOG.info("on the event loop itself");
        List<Future<Void>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
          all.add(request(vertx, loop.duplicate(), "req-" + i, "org-" + i));
        }
        Future.all(all).<Void>mapEmpty().onComplete(done);
      });
      done.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      lines = logs.lines();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    assertThat(lines.get(0).getString("message")).isEqualTo("on the event loop itself");
    assertThat(lines.get(0).fieldNames()).doesNotContain("request_id");
    assertThat(lines).hasSize(1 + 6 * 4);
    for (JsonObject line : lines.subList(1, lines.size())) {
      String message = line.getString("message");
      String request = message.replaceAll(".*(req-\\d).*", "$1");
      assertThat(line.getString("request_id")).as(line.encode()).isEqualTo(request);
      // the org is bound once the request is "authenticated"
      assertThat(line.getString("org_id")).as(line.encode())
          .isEqualTo(message.endsWith("started") ? null : "org-" + request.substring(4));
      if (message.contains("run ")) {
        assertThat(line.getString("run_id")).as(line.encode()).isEqualTo("run-of-" + request);
      } else {
        assertThat(line.fieldNames()).as(line.encode()).doesNotContain("run_id");
      }
    }
  }

  /** A request on its own duplicated context: binds its ids, then logs after timer hops, one line about a run. */
  private static Future<Void> request(Vertx vertx, Context ctx, String id, String org) {
    Promise<Void> done = Promise.promise();
    ctx.runOnContext(v -> {
      LogIds.bind(LogIds.REQUEST_ID, id);
      LOG.info("{} started", id);
      vertx.setTimer(1 + (long) (Math.random() * 20), t1 -> {
        LogIds.bind(LogIds.ORG_ID, org);
        LOG.info("{} authenticated", id);
        vertx.setTimer(1 + (long) (Math.random() * 20), t2 -> {
          LogIds.logWith(() -> LOG.info("{} run line", id), LogIds.RUN_ID, "run-of-" + id);
          vertx.setTimer(1 + (long) (Math.random() * 20), t3 -> {
            LOG.info("{} finished", id);
            done.complete();
          });
        });
      });
    });
    return done.future();
  }

  @Test
  void theFormatIsConfiguredAndABadOneStopsStartUp() {
    Assertions.assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_LOG_FORMAT", "xml")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SIGHTLINE_LOG_FORMAT (log.format)");
    try {
      ConfigLoader.load(Map.of("SIGHTLINE_LOG_FORMAT", "JSON"));
      assertThat(LogFormatEncoder.normalise("JSON")).isEqualTo("json");
    } finally {
      LogFormatEncoder.use("text");
    }
  }
}
