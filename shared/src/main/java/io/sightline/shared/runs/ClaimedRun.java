package io.sightline.shared.runs;

import io.vertx.core.json.JsonArray;

/**
 * A run a runner has claimed: what to execute, under which attempt (the fence of every later write). {@code queryId}
 * (null for ad-hoc SQL) and {@code fingerprint} travel on its events ({@link RunEvents#state(String, String,
 * String, String)}) so that pages showing that exact work recognise it. {@code trigger} is what first asked for it
 * (manual, schedule, dashboard, api), for the runs metric. {@code runnerId} is the claimer: with {@code attempt} it
 * fences every later write, so a runner whose run a reaper took over writes nothing, even before the reaper ended it.
 */
public record ClaimedRun(String id, String orgId, String datasourceId, String boundSql, JsonArray bindValues,
    RunOptions options, int attempt, long queueMs, String queryId, String fingerprint, String trigger,
    String runnerId) {}
