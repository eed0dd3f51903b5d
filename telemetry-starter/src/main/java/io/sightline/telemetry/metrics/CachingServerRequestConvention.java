package io.sightline.telemetry.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.common.KeyValues;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Spring's convention for {@code http.server.requests} (servlet stack), with each request's tag set
 * ({@code exception}, {@code method}, {@code outcome}, {@code status}, {@code uri}) built once per distinct
 * combination instead of on every request, and twice per request: the observation asks for it when it starts
 * and again when it stops. The tags are Spring's own, name for name and value for value: they are computed by
 * Spring's convention, from exactly what it reads (the handler's path pattern, the method, the response status,
 * the error's class), which is the cache key.
 * <p>
 * The cache is bounded: a client chooses the method, so a hostile one could otherwise grow it; past
 * {@link #MAX_CACHED} combinations, tag sets are built as Spring builds them, uncached.
 */
final class CachingServerRequestConvention extends DefaultServerRequestObservationConvention {

    static final int MAX_CACHED = 1024;

    private final ConcurrentMap<TagSetKey, KeyValues> tagSets = new ConcurrentHashMap<>();

    CachingServerRequestConvention(String name) {
        super(name);
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
        if (context.getCarrier() == null) {
            return super.getLowCardinalityKeyValues(context);
        }
        TagSetKey key = new TagSetKey(
                context.getPathPattern(),
                context.getCarrier().getMethod(),
                (context.getResponse() != null) ? context.getResponse().getStatus() : -1,
                (context.getError() != null) ? context.getError().getClass() : null);
        KeyValues cached = this.tagSets.get(key);
        if (cached != null) {
            return cached;
        }
        KeyValues built = super.getLowCardinalityKeyValues(context);
        if (this.tagSets.size() < MAX_CACHED) {
            this.tagSets.putIfAbsent(key, built);
        }
        return built;
    }

    int cached() {
        return this.tagSets.size();
    }

    /** Everything Spring's convention reads to build the tag set; -1: no response. */
    private record TagSetKey(String pathPattern, String method, int status, Class<?> error) {}
}
