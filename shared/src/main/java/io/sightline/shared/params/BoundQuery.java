package io.sightline.shared.params;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The statement as executed.
 *
 * @param sql the saved SQL with every placeholder replaced by a typed positional parameter ({@code $1::text::date});
 *     it depends only on the SQL and the declarations, never on the values
 * @param bindValues {@code $1..$n} in order: a String, a List&lt;String&gt; (multi-select) or {@code null} (an
 *     optional parameter without value or default); unmodifiable
 * @param values name → the typed value the run used, for every declared parameter (after defaults and relative
 *     ranges were resolved): text/enum strings, integer Long, number BigDecimal, boolean, date {@code yyyy-MM-dd},
 *     timestamp ISO instant ({@code …Z}), ranges {@code {"start", "end"}}, multi-select arrays, {@code null}
 */
public record BoundQuery(String sql, List<Object> bindValues, JsonObject values) {}
