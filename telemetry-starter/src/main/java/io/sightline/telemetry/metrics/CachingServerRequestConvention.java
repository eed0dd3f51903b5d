package io.sightline.telemetry.metrics;

import io.micrometer.common.KeyValues;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Spring's convention for {@code http.server.requests} (servlet stack), with each request's tag set
 * ({@code exception}, {@code method}, {@code outcome}, {@code status}, {@code uri}) built once per distinct
 * combination instead of on every request, and twice per request: the observation asks for it when it starts
 * and again when it stops. The tags are Spring's own, name for name and value for value: they are computed by
 * Spring's convention, from exactly what it reads (the handler's path pattern, the method, the response status,
 * the error's class), which is the cache key ({@link RequestTagSets}).
 */
final class CachingServerRequestConvention extends DefaultServerRequestObservationConvention {

    private final RequestTagSets tagSets = new RequestTagSets();

    CachingServerRequestConvention(String name) {
        super(name);
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
        if (context.getCarrier() == null) {
            return super.getLowCardinalityKeyValues(context);
        }
        RequestTagSets.Key key = new RequestTagSets.Key(
                context.getPathPattern(),
                context.getCarrier().getMethod(),
                (context.getResponse() != null) ? context.getResponse().getStatus() : -1,
                (context.getError() != null) ? context.getError().getClass() : null);
        KeyValues cached = this.tagSets.find(key);
        return (cached != null) ? cached : this.tagSets.keep(key, super.getLowCardinalityKeyValues(context));
    }

    int cached() {
        return this.tagSets.size();
    }
}
