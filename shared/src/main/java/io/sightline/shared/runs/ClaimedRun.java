package io.sightline.shared.runs;

import io.vertx.core.json.JsonArray;

/** A run a runner has claimed: what to execute, under which attempt (the fence of every later write). */
public record ClaimedRun(String id, String orgId, String datasourceId, String boundSql, JsonArray bindValues,
    RunOptions options, int attempt, long queueMs) {}
