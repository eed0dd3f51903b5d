package io.sightline.telemetry.metrics;

import io.micrometer.common.KeyValues;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * {@link CachingServerRequestConvention}'s counterpart for WebFlux: Spring's reactive convention, each tag set built
 * once per combination of what it reads. A request whose client went away is left to Spring every time: its
 * status and outcome then also depend on whether the response was committed, which the cache key does not hold.
 */
final class CachingReactiveServerRequestConvention extends DefaultServerRequestObservationConvention {

    private final RequestTagSets tagSets = new RequestTagSets();

    CachingReactiveServerRequestConvention(String name) {
        super(name);
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
        if (context.getCarrier() == null || context.isConnectionAborted()) {
            return super.getLowCardinalityKeyValues(context);
        }
        HttpStatusCode status =
                (context.getResponse() != null) ? context.getResponse().getStatusCode() : null;
        RequestTagSets.Key key = new RequestTagSets.Key(
                context.getPathPattern(),
                context.getCarrier().getMethod().name(),
                (status != null) ? status.value() : -1,
                (context.getError() != null) ? context.getError().getClass() : null);
        KeyValues cached = this.tagSets.find(key);
        return (cached != null) ? cached : this.tagSets.keep(key, super.getLowCardinalityKeyValues(context));
    }

    int cached() {
        return this.tagSets.size();
    }
}
