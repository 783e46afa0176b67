package io.sightline.api.queries;

import io.sightline.api.http.ApiException;
import io.sightline.api.http.Problem;
import io.sightline.shared.params.BoundQuery;
import io.sightline.shared.params.ParameterBinder;
import io.sightline.shared.params.ParameterCheck;
import io.sightline.shared.params.ParameterException;
import io.sightline.shared.params.ParameterSpec;
import io.sightline.shared.params.SqlTemplate;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * What saved and ad-hoc runs share before they are enqueued: one statement only, declarations validated, values bound
 * (never spliced) in the org's time zone, and every problem a 400 naming its field.
 */
public final class QueryBinding {
  private QueryBinding() {}

  /**
   * 400 naming {@code /sql} when the text holds more than one statement (Postgres refuses several commands in one
   * prepared statement), saying where the second one starts. A trailing {@code ;} is fine.
   */
  public static void requireOneStatement(SqlTemplate template) {
    int second = template.secondStatementStart();
    if (second < 0) {
      return;
    }
    int[] at = SqlTemplate.lineAndColumn(template.sql(), second);
    throw ApiException.invalid("/sql", "holds more than one statement: the second starts at line " + at[0]
        + ", column " + at[1] + ". Send one statement at a time.");
  }

  /** Parameter declarations found at {@code field} of a request body; a bad one is a 400 naming its field. */
  public static List<ParameterSpec> declarations(JsonArray params, String field) {
    try {
      return ParameterCheck.parseAll(params, field);
    } catch (ParameterException e) {
      throw ApiException.invalid(e.field(), e.getMessage());
    }
  }

  /** Binds {@code values} to the template's placeholders; a bad value is a 400 naming {@code /params/<name>}, an
   * undeclared or malformed placeholder one naming {@code /sql}. */
  public static Future<BoundQuery> bind(Pool pool, String orgId, SqlTemplate template, List<ParameterSpec> specs,
      JsonObject values) {
    if (specs.isEmpty()) {
      // nothing to interpret in a time zone (plain SQL, or placeholders and values the binder refuses)
      return Future.succeededFuture(bind(template, specs, values, ZoneOffset.UTC));
    }
    return pool.preparedQuery(QuerySql.ORG_TIMEZONE).execute(Tuple.of(UUID.fromString(orgId)))
        .map(rows -> bind(template, specs, values, ZoneId.of(rows.iterator().next().getString("timezone"))));
  }

  private static BoundQuery bind(SqlTemplate template, List<ParameterSpec> specs, JsonObject values, ZoneId zone) {
    try {
      return ParameterBinder.bind(template, specs, values == null ? new JsonObject() : values, Instant.now(), zone);
    } catch (ParameterException e) {
      // a value's field is /params/<name>; a placeholder the declarations do not cover is /sql
      throw new ApiException(Problem.of(400, "parameter", "Invalid parameter value", e.getMessage())
          .withError(e.field(), e.getMessage()));
    }
  }
}
