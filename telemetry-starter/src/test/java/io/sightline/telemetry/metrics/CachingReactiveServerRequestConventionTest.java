package io.sightline.telemetry.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.common.KeyValues;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The WebFlux tag sets built once per combination are Spring's own, for every combination, and stay bounded. */
class CachingReactiveServerRequestConventionTest {

    private final DefaultServerRequestObservationConvention spring = new DefaultServerRequestObservationConvention();

    private final CachingReactiveServerRequestConvention caching =
            new CachingReactiveServerRequestConvention(MetricsAutoConfiguration.DEFAULT_OBSERVATION_NAME);

    @Test
    void everyTagSetIsSpringsOwnFirstAndFromTheCache() {
        List<ServerRequestObservationContext> contexts = new ArrayList<>();
        for (String pattern : new String[] {null, "", "/items/{id}", "/orders"}) {
            for (String method : new String[] {"GET", "POST", "BREW"}) {
                for (Integer status : new Integer[] {null, 200, 201, 301, 404, 418, 500, 503, 599}) {
                    for (Throwable error :
                            new Throwable[] {null, new IllegalStateException(), new RuntimeException() {}}) {
                        for (boolean aborted : new boolean[] {false, true}) {
                            contexts.add(context(pattern, method, status, error, aborted));
                        }
                    }
                }
            }
        }
        for (int round = 0; round < 2; round++) {
            for (ServerRequestObservationContext context : contexts) {
                assertThat(this.caching.getLowCardinalityKeyValues(context))
                        .as(
                                "%s %s %s %s aborted=%s",
                                context.getPathPattern(),
                                context.getCarrier().getMethod(),
                                context.getResponse().getStatusCode(),
                                context.getError(),
                                context.isConnectionAborted())
                        .containsExactlyElementsOf(this.spring.getLowCardinalityKeyValues(context));
            }
        }
        assertThat(this.caching.getName()).isEqualTo(this.spring.getName());
    }

    @Test
    void theSameCombinationIsBuiltOnceButAnAbortedRequestIsLeftToSpring() {
        KeyValues first = this.caching.getLowCardinalityKeyValues(context("/items/{id}", "GET", 200, null, false));
        assertThat(this.caching.getLowCardinalityKeyValues(context("/items/{id}", "GET", 200, null, false)))
                .isSameAs(first);
        this.caching.getLowCardinalityKeyValues(context("/items/{id}", "GET", 200, null, true));
        assertThat(this.caching.cached()).isEqualTo(1);
    }

    @Test
    void aFloodOfInventedMethodsDoesNotGrowTheCache() {
        for (int i = 0; i < 3 * RequestTagSets.MAX_CACHED; i++) {
            ServerRequestObservationContext context = context(null, "M" + i, 405, null, false);
            assertThat(this.caching.getLowCardinalityKeyValues(context))
                    .containsExactlyElementsOf(this.spring.getLowCardinalityKeyValues(context));
        }
        assertThat(this.caching.cached()).isEqualTo(RequestTagSets.MAX_CACHED);
    }

    private static ServerRequestObservationContext context(
            String pattern, String method, Integer status, Throwable error, boolean aborted) {
        MockServerHttpResponse response = new MockServerHttpResponse();
        if (status != null) {
            response.setStatusCode(HttpStatusCode.valueOf(status));
        }
        if (aborted && status != null && status >= 500) {
            response.setComplete().block(); // committed: Spring keeps the status of a committed aborted response
        }
        ServerRequestObservationContext context = new ServerRequestObservationContext(
                MockServerHttpRequest.method(HttpMethod.valueOf(method), "/items/7")
                        .build(),
                response,
                Map.of());
        context.setPathPattern(pattern);
        context.setError(error);
        context.setConnectionAborted(aborted);
        return context;
    }
}
