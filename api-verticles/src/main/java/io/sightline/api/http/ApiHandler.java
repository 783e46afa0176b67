package io.sightline.api.http;

import io.vertx.core.Future;

/** A route's logic: takes a vetted request, answers a reply or fails (an {@link ApiException} becomes its problem). */
@FunctionalInterface
public interface ApiHandler {
  Future<Reply> handle(ApiRequest request);
}
