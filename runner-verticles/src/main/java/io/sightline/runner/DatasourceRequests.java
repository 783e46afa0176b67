package io.sightline.runner;

import io.sightline.shared.config.Secret;
import io.sightline.shared.connector.Connector;
import io.sightline.shared.connector.ConnectorException;
import io.sightline.shared.connector.Connectors;
import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.shared.crypto.SecretBox;
import io.sightline.shared.datasource.DatasourceMessages;
import io.sightline.shared.datasource.DatasourceRecords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the api's datasource requests (connection tests, schema introspection) through the connector of the
 * datasource's kind. Saved datasources are read from the metadata database with their org, and their password
 * opened here; settings being tested arrive with the password sealed. Nothing secret is logged or sent back.
 */
final class DatasourceRequests {
  private static final Logger LOG = LoggerFactory.getLogger(DatasourceRequests.class);

  private final Vertx vertx;
  private final Pool pool;
  private final SecretBox secrets;
  private final Connectors connectors;

  DatasourceRequests(Vertx vertx, Pool pool, SecretBox secrets, Connectors connectors) {
    this.vertx = vertx;
    this.pool = pool;
    this.secrets = secrets;
    this.connectors = connectors;
  }

  List<MessageConsumer<JsonObject>> register() {
    return List.of(
        consume(DatasourceMessages.TEST, (connector, spec) -> connector.testConnection(vertx, spec)
            .map(check -> new JsonObject().put("ok", true).put("serverVersion", check.serverVersion())
                .put("latencyMs", check.latencyMs()))),
        consume(DatasourceMessages.INTROSPECT, (connector, spec) -> connector.introspect(vertx, spec)
            .map(catalog -> new JsonObject().put("ok", true).put("catalog", catalog.toJson()))));
  }

  private MessageConsumer<JsonObject> consume(String address,
      BiFunction<Connector, DatasourceSpec, Future<JsonObject>> work) {
    return vertx.eventBus().consumer(address, (Message<JsonObject> msg) -> spec(msg.body())
        .compose(spec -> {
          Connector connector = connectors.forKind(spec.kind()).orElse(null);
          if (connector == null) {
            return Future.succeededFuture(failure("unsupported_kind",
                "No connector for datasource kind '" + spec.kind() + "' on this runner."));
          }
          return work.apply(connector, spec).recover(err -> err instanceof ConnectorException ce
              ? Future.succeededFuture(failure(ce.code(), ce.getMessage()))
              : Future.failedFuture(err));
        })
        .onSuccess(msg::reply)
        .onFailure(err -> {
          if (err instanceof NotFound) {
            msg.fail(DatasourceMessages.NOT_FOUND, err.getMessage());
          } else {
            LOG.warn("{} failed: {}", address, err.toString());
            msg.fail(500, "runner error: " + err.getClass().getSimpleName());
          }
        }));
  }

  private Future<DatasourceSpec> spec(JsonObject body) {
    UUID orgId = UUID.fromString(body.getString("orgId"));
    String datasourceId = body.getString("datasourceId");
    if (datasourceId != null) {
      return stored(orgId, UUID.fromString(datasourceId));
    }
    JsonObject settings = body.getJsonObject("settings");
    String kind = body.getString("kind", "postgres");
    Future<Secret> password;
    if (body.getString("sealedPassword") != null) {
      byte[] sealed = Base64.getDecoder().decode(body.getString("sealedPassword"));
      password = Future.succeededFuture(Secret.of(secrets.open(sealed, DatasourceMessages.TRANSIT_PASSWORD_CONTEXT)));
    } else if (body.getString("passwordOf") != null) {
      password = stored(orgId, UUID.fromString(body.getString("passwordOf"))).map(DatasourceSpec::password);
    } else {
      password = Future.succeededFuture(Secret.of(""));
    }
    return password.map(p -> DatasourceRecords.spec(null, kind, settings, p, true, 1));
  }

  private Future<DatasourceSpec> stored(UUID orgId, UUID datasourceId) {
    return pool.preparedQuery(DatasourceRecords.BY_ID).execute(Tuple.of(datasourceId, orgId)).compose(rows ->
        rows.iterator().hasNext() ? Future.succeededFuture(DatasourceRecords.spec(rows.iterator().next(), secrets))
            : Future.failedFuture(new NotFound("datasource " + datasourceId + " not found")));
  }

  private static JsonObject failure(String code, String message) {
    return new JsonObject().put("ok", false).put("code", code).put("message", message);
  }

  private static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }
}
