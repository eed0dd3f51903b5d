package io.sightline.telemetry.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.common.KeyValues;

/**
 * Request tag sets built by Spring's {@code http.server.requests} conventions (servlet and reactive), kept by
 * everything those conventions read to build them, so that each distinct combination is built once.
 * <p>
 * Bounded: a client chooses the method, so a hostile one could otherwise grow it; past {@link #MAX_CACHED}
 * combinations nothing more is kept and the conventions build tag sets as Spring does, uncached.
 */
final class RequestTagSets {

    static final int MAX_CACHED = 1024;

    private final ConcurrentMap<Key, KeyValues> tagSets = new ConcurrentHashMap<>();

    /** The tag set kept for {@code key}, or null. */
    KeyValues find(Key key) {
        return this.tagSets.get(key);
    }

    /** Keeps {@code built} for {@code key} while there is room; returns it. */
    KeyValues keep(Key key, KeyValues built) {
        if (this.tagSets.size() < MAX_CACHED) {
            this.tagSets.putIfAbsent(key, built);
        }
        return built;
    }

    int size() {
        return this.tagSets.size();
    }

    /** The handler's path pattern, the method's name, the response status (-1: none yet), the error's class. */
    record Key(String pathPattern, String method, int status, Class<?> error) {}
}
