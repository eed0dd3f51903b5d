package io.sightline.telemetry.metrics;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.common.KeyValues;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The request tags built once per combination are Spring's own, for every combination, and stay bounded. */
class CachingServerRequestConventionTest {

    private final DefaultServerRequestObservationConvention spring = new DefaultServerRequestObservationConvention();

    private final CachingServerRequestConvention caching =
            new CachingServerRequestConvention(MetricsAutoConfiguration.DEFAULT_OBSERVATION_NAME);

    @Test
    void everyTagSetIsSpringsOwnFirstAndFromTheCache() {
        List<ServerRequestObservationContext> contexts = new ArrayList<>();
        for (String pattern : new String[] {null, "", "/items/{id}", "/orders"}) {
            for (String method : new String[] {"GET", "POST", "BREW"}) {
                for (int status : new int[] {200, 201, 301, 404, 418, 500, 503, 599}) {
                    for (Throwable error :
                            new Throwable[] {null, new IllegalStateException(), new RuntimeException() {}}) {
                        contexts.add(context(pattern, method, status, error));
                    }
                }
            }
        }
        ServerRequestObservationContext noResponse =
                new ServerRequestObservationContext(new MockHttpServletRequest("GET", "/items/7"), null);
        contexts.add(noResponse);
        for (int round = 0; round < 2; round++) {
            for (ServerRequestObservationContext context : contexts) {
                assertThat(this.caching.getLowCardinalityKeyValues(context))
                        .as(
                                "%s %s %s",
                                context.getPathPattern(), context.getCarrier().getMethod(), context.getError())
                        .containsExactlyElementsOf(this.spring.getLowCardinalityKeyValues(context));
            }
        }
        assertThat(this.caching.getName()).isEqualTo(this.spring.getName());
        assertThat(this.caching.getHighCardinalityKeyValues(noResponse))
                .containsExactlyElementsOf(this.spring.getHighCardinalityKeyValues(noResponse));
    }

    @Test
    void theSameCombinationIsBuiltOnce() {
        KeyValues first = this.caching.getLowCardinalityKeyValues(context("/items/{id}", "GET", 200, null));
        assertThat(this.caching.getLowCardinalityKeyValues(context("/items/{id}", "GET", 200, null)))
                .isSameAs(first);
    }

    @Test
    void aFloodOfInventedMethodsDoesNotGrowTheCacheAndStillGetsSpringsTags() {
        for (int i = 0; i < 3 * RequestTagSets.MAX_CACHED; i++) {
            ServerRequestObservationContext context = context(null, "M" + i, 405, null);
            assertThat(this.caching.getLowCardinalityKeyValues(context))
                    .containsExactlyElementsOf(this.spring.getLowCardinalityKeyValues(context));
        }
        assertThat(this.caching.cached()).isEqualTo(RequestTagSets.MAX_CACHED);
    }

    @Test
    void servletApplicationsGetItUnderBootsNameAndTheirOwnConventionWins() {
        WebApplicationContextRunner runner = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class));
        runner.withPropertyValues(MetricsAutoConfiguration.OBSERVATION_NAME_PROPERTY + "=http.in")
                .run(context -> assertThat(context.getBean(ServerRequestObservationConvention.class))
                        .isInstanceOf(CachingServerRequestConvention.class)
                        .extracting(ServerRequestObservationConvention::getName)
                        .isEqualTo("http.in"));
        runner.withBean(ServerRequestObservationConvention.class, DefaultServerRequestObservationConvention::new)
                .run(context -> assertThat(context.getBean(ServerRequestObservationConvention.class))
                        .isExactlyInstanceOf(DefaultServerRequestObservationConvention.class));
    }

    private static ServerRequestObservationContext context(String pattern, String method, int status, Throwable error) {
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setStatus(status);
        ServerRequestObservationContext context =
                new ServerRequestObservationContext(new MockHttpServletRequest(method, "/items/7"), response);
        context.setPathPattern(pattern);
        context.setError(error);
        return context;
    }
}
