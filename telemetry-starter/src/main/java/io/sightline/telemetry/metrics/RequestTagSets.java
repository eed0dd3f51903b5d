package io.sightline.telemetry.metrics;

import io.micrometer.common.KeyValues;

/**
 * Request tag sets built by Spring's {@code http.server.requests} conventions (servlet and reactive), kept by
 * everything those conventions read to build them, so that each distinct combination is built once; past
 * {@link #MAX_CACHED} combinations the conventions build tag sets as Spring does, uncached.
 */
final class RequestTagSets extends BoundedCache<RequestTagSets.Key, KeyValues> {

    static final int MAX_CACHED = 1024;

    RequestTagSets() {
        super(MAX_CACHED);
    }

    /** The handler's path pattern, the method's name, the response status (-1: none yet), the error's class. */
    record Key(String pathPattern, String method, int status, Class<?> error) {}
}
