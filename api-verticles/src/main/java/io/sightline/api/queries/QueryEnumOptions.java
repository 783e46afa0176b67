package io.sightline.api.queries;

import io.sightline.api.http.ApiException;
import io.sightline.api.http.Problem;
import io.sightline.shared.params.ParamType;
import io.sightline.shared.params.ParameterException;
import io.sightline.shared.params.ParameterSpec;
import io.sightline.shared.result.ResultReader;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The options of query-backed enums (query_enum parameters): the distinct values of the options column in the first
 * 10,000 rows of the options query's latest stored result (at most 1,000). The binder cannot see them, so every run
 * that binds a query_enum — a query run, a dashboard tile — checks its values here before it is enqueued.
 */
public final class QueryEnumOptions {
  private static final int MAX_OPTIONS = 1000;
  private static final int OPTION_ROWS = 10_000;

  /** The options of one parameter, from run {@code runId}'s result, finished at {@code refreshedAt}. */
  public record Options(List<String> values, String runId, String refreshedAt) {}

  private final Pool pool;
  private final ResultReader results;

  public QueryEnumOptions(Pool pool, ResultReader results) {
    this.pool = pool;
    this.results = results;
  }

  /**
   * The options of {@code spec}; a 404 (no-options, naming {@code /params/<name>}) when its options query has no
   * stored result yet or that result lacks the column.
   */
  public Future<Options> of(String orgId, ParameterSpec spec) {
    UUID sourceId;
    try {
      sourceId = UUID.fromString(spec.optionsQueryId());
    } catch (RuntimeException e) {
      return Future.failedFuture(ApiException.notFound("The options query of " + spec.name()));
    }
    return pool.preparedQuery(QuerySql.LATEST_RESULT).execute(Tuple.of(sourceId, UUID.fromString(orgId)))
        .compose(rows -> {
          if (!rows.iterator().hasNext()) {
            String why = "its options come from a query that has no stored result yet; run it";
            return Future.failedFuture(new ApiException(Problem.of(404, "no-options", "No options yet",
                "The options of " + spec.name() + " come from a query that has no stored result yet; run it.")
                .withError("/params/" + spec.name(), why)));
          }
          Row r = rows.iterator().next();
          String resultId = r.getUUID("result_id").toString();
          return results.page(orgId, resultId, 0, OPTION_ROWS).map(page -> {
            int column = -1;
            for (int i = 0; i < page.columns().size(); i++) {
              if (page.columns().get(i).name().equals(spec.optionsColumn())) {
                column = i;
              }
            }
            if (column < 0) {
              String why = "its options query's result has no column \"" + spec.optionsColumn() + "\"";
              throw new ApiException(Problem.of(404, "no-options", "No options",
                  "The options query's result has no column \"" + spec.optionsColumn() + "\".")
                  .withError("/params/" + spec.name(), why));
            }
            LinkedHashSet<String> values = new LinkedHashSet<>();
            JsonArray rowsJson = new JsonArray(page.rowsJson().toString());
            for (int i = 0; i < rowsJson.size() && values.size() < MAX_OPTIONS; i++) {
              Object v = rowsJson.getJsonArray(i).getValue(column);
              if (v != null) {
                values.add(v.toString());
              }
            }
            return new Options(List.copyOf(values), r.getUUID("id").toString(), time(r.getOffsetDateTime(
                "finished_at")));
          });
        });
  }

  /** Loads each options source (query and column) once, however many parameters and tiles of one request use it. */
  public Loader loader(String orgId) {
    return new Loader(orgId);
  }

  /** The options of one request's query_enum parameters, each source loaded at most once. */
  public final class Loader {
    private final String orgId;
    private final Map<String, Future<Options>> loaded = new HashMap<>();

    private Loader(String orgId) {
      this.orgId = orgId;
    }

    Future<Options> of(ParameterSpec spec) {
      return loaded.computeIfAbsent(spec.optionsQueryId() + "\n" + spec.optionsColumn(),
          k -> QueryEnumOptions.this.of(orgId, spec));
    }

    /**
     * Checks the query_enum values among {@code values} (as bound: defaults applied) against their options. Fails
     * with a {@link ParameterException} at {@code /params/<name>} (a multi-select's {@code /params/<name>/<i>}) for a
     * value not among them, or with the 404 of {@link #of} when there are none to check against.
     */
    public Future<Void> check(List<ParameterSpec> specs, JsonObject values) {
      List<Future<Void>> checks = new ArrayList<>();
      for (ParameterSpec spec : specs) {
        Object value = values.getValue(spec.name());
        if (spec.type() != ParamType.QUERY_ENUM || value == null) {
          continue;
        }
        List<?> chosen = value instanceof JsonArray a ? a.getList() : List.of(value);
        checks.add(of(spec).compose(o -> {
          for (int i = 0; i < chosen.size(); i++) {
            if (!o.values().contains(String.valueOf(chosen.get(i)))) {
              return Future.failedFuture(new ParameterException(spec.name(), "/params/" + spec.name()
                  + (value instanceof JsonArray ? "/" + i : ""), "is not among its options (the latest result of"
                  + " its options query)"));
            }
          }
          return Future.<Void>succeededFuture();
        }));
      }
      // the first failure in declaration order, once all are known (a deterministic answer)
      return Future.join(checks).transform(done -> {
        for (Future<Void> c : checks) {
          if (c.failed()) {
            return Future.failedFuture(c.cause());
          }
        }
        return Future.succeededFuture();
      });
    }
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
