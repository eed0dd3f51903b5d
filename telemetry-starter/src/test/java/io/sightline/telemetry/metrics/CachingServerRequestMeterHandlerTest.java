package io.sightline.telemetry.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's request timers against Micrometer's own handler: two Prometheus registries, each behind an
 * observation registry wired as Boot wires it (one first-match composite of the meter handlers: Micrometer's
 * default alone, or the starter's before it), the same observations on both with the same clock steps, and the
 * two expositions compared as text.
 */
class CachingServerRequestMeterHandlerTest {

    private static final String[] PATTERNS = {"/items/{id}", "/orders", null};

    private static final int[] STATUSES = {200, 404, 500};

    @ParameterizedTest(name = "long-task timers ignored: {0}")
    @ValueSource(booleans = {false, true})
    void theExpositionIsMicrometersOwnForServletAndWebFluxRequestsAndOtherObservations(boolean ignoreLongTaskTimers) {
        IgnoredMeters[] ignored =
                ignoreLongTaskTimers ? new IgnoredMeters[] {IgnoredMeters.LONG_TASK_TIMER} : new IgnoredMeters[0];
        Stack micrometers = new Stack(false, ignored);
        Stack starters = new Stack(true, ignored);
        for (Stack stack : List.of(micrometers, starters)) {
            for (int round = 0; round < 3; round++) {
                requests(stack, round);
            }
        }
        assertThat(starters.scrape()).isEqualTo(micrometers.scrape());
        assertThat(starters.scrape())
                .contains("http_server_requests_seconds_bucket{")
                .contains("error=\"IllegalStateException\"")
                .contains("le=\"0.005\"")
                .contains("jobs_run_seconds_count{");
        // servlet and WebFlux requests (each tag set once, other observations never) went through the starter's
        assertThat(starters.handler.cached())
                .isEqualTo(starters.meters.find("http.server.requests").timers().size())
                .isGreaterThan(20);

        // a request in flight: the long-task timer (when not ignored) shows it the same way
        List<Observation> inFlight = new ArrayList<>();
        for (Stack stack : List.of(micrometers, starters)) {
            inFlight.add(Observation.createNotStarted(
                            null,
                            stack.servletTags,
                            () -> new org.springframework.http.server.observation.ServerRequestObservationContext(
                                    new MockHttpServletRequest("GET", "/slow"), new MockHttpServletResponse()),
                            stack.observations)
                    .start()
                    .lowCardinalityKeyValue("tenant", stack.tenant));
            stack.clock.add(Duration.ofMillis(700));
        }
        assertThat(starters.scrape()).isEqualTo(micrometers.scrape());
        assertThat(starters.scrape().contains("http_server_requests_active_seconds_gcount{"))
                .isEqualTo(!ignoreLongTaskTimers);
        inFlight.forEach(Observation::stop);
        assertThat(starters.scrape()).isEqualTo(micrometers.scrape());
    }

    /**
     * Spring's tags turn invented methods into {@code UNKNOWN}: one timer. A tag of the application's own with a
     * value per request is what could grow the cache; past the bound it is timed as Micrometer does.
     */
    @Test
    void aFloodOfInventedMethodsOrTagValuesStaysBoundedAndIsStillTimedAsMicrometerDoes() {
        Stack micrometers = new Stack(false);
        Stack starters = new Stack(true);
        int flood = 3 * CachingServerRequestMeterHandler.MAX_CACHED;
        for (Stack stack : List.of(micrometers, starters)) {
            for (int i = 0; i < flood; i++) {
                servlet(stack, "/orders", "M" + i, 405, null, 1);
            }
        }
        assertThat(starters.handler.cached()).isEqualTo(1);
        assertThat(starters.scrape()).isEqualTo(micrometers.scrape()).contains("method=\"UNKNOWN\"");
        for (Stack stack : List.of(micrometers, starters)) {
            for (int i = 0; i < flood; i++) {
                stack.tenant = "tenant-" + i;
                servlet(stack, "/orders", "GET", 200, null, 1);
            }
        }
        assertThat(starters.handler.cached()).isEqualTo(CachingServerRequestMeterHandler.MAX_CACHED);
        assertThat(starters.scrape()).isEqualTo(micrometers.scrape()).contains("tenant=\"tenant-3071\"");
    }

    @Test
    void aTimerRemovedFromTheRegistryIsRegisteredAgainAsMicrometerDoes() {
        Stack micrometers = new Stack(false);
        Stack starters = new Stack(true);
        for (Stack stack : List.of(micrometers, starters)) {
            servlet(stack, "/orders", "GET", 200, null, 3);
            stack.meters.remove(stack.meters.get("http.server.requests").timer());
            servlet(stack, "/orders", "GET", 200, null, 5);
        }
        assertThat(starters.scrape())
                .isEqualTo(micrometers.scrape())
                .containsPattern("http_server_requests_seconds_count\\{[^}]*} 1");
    }

    @Test
    void itStandsBeforeBootsHandlerOnlyAndAnApplicationsOwnHandlerWins() {
        WebApplicationContextRunner runner = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        MetricsAutoConfiguration.class,
                        org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration.class));
        runner.run(context -> assertThat(context.getBeansOfType(MeterObservationHandler.class))
                .hasSize(2)
                .containsKey("sightlineServerRequestMeterHandler"));
        runner.withBean("applicationsHandler", MeterObservationHandler.class, () -> new MeterObservationHandler<>() {})
                .run(context -> assertThat(context.getBeansOfType(MeterObservationHandler.class))
                        .containsOnlyKeys("applicationsHandler", "defaultMeterObservationHandler"));
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(MeterObservationHandler.class));
    }

    /** Servlet and WebFlux requests of every combination, with and without an error, and an observation of another kind. */
    private static void requests(Stack stack, int round) {
        for (String pattern : PATTERNS) {
            for (String method : new String[] {"GET", "POST"}) {
                for (int status : STATUSES) {
                    for (Throwable error : new Throwable[] {null, new IllegalStateException()}) {
                        long millis = 1 + (round * 7L + status) % 13;
                        servlet(stack, pattern, method, status, error, millis);
                        reactive(stack, pattern, method, status, error, millis * 3);
                    }
                }
            }
        }
        Observation.createNotStarted("jobs.run", stack.observations)
                .lowCardinalityKeyValue("job", "report" + round % 2)
                .observe(() -> stack.clock.add(Duration.ofMillis(40)));
    }

    private static void servlet(Stack stack, String pattern, String method, int status, Throwable error, long millis) {
        MockHttpServletResponse response = new MockHttpServletResponse();
        org.springframework.http.server.observation.ServerRequestObservationContext context =
                new org.springframework.http.server.observation.ServerRequestObservationContext(
                        new MockHttpServletRequest(method, "/x"), response);
        Observation observation = Observation.createNotStarted(
                        null, stack.servletTags, () -> context, stack.observations)
                .start();
        context.setPathPattern(pattern);
        response.setStatus(status);
        end(stack, observation, error, millis);
    }

    private static void reactive(Stack stack, String pattern, String method, int status, Throwable error, long millis) {
        MockServerHttpResponse response = new MockServerHttpResponse();
        org.springframework.http.server.reactive.observation.ServerRequestObservationContext context =
                new org.springframework.http.server.reactive.observation.ServerRequestObservationContext(
                        MockServerHttpRequest.method(HttpMethod.valueOf(method), "/x")
                                .build(),
                        response,
                        new java.util.HashMap<>());
        Observation observation = Observation.createNotStarted(
                        null, stack.reactiveTags, () -> context, stack.observations)
                .start();
        context.setPathPattern(pattern);
        response.setStatusCode(HttpStatusCode.valueOf(status));
        end(stack, observation, error, millis);
    }

    private static void end(Stack stack, Observation observation, Throwable error, long millis) {
        // a tag of the application's own, added to the request's observation as Spring's documentation shows
        observation.lowCardinalityKeyValue("tenant", stack.tenant);
        stack.clock.add(Duration.ofMillis(millis));
        if (error != null) {
            observation.error(error);
        }
        observation.stop();
    }

    /** One application's meters and observations, wired as Boot wires them. */
    private static final class Stack {

        final MockClock clock = new MockClock();

        final PrometheusMeterRegistry meters =
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), this.clock);

        final ObservationRegistry observations = ObservationRegistry.create();

        final CachingServerRequestConvention servletTags =
                new CachingServerRequestConvention(MetricsAutoConfiguration.DEFAULT_OBSERVATION_NAME);

        final CachingReactiveServerRequestConvention reactiveTags =
                new CachingReactiveServerRequestConvention(MetricsAutoConfiguration.DEFAULT_OBSERVATION_NAME);

        final CachingServerRequestMeterHandler handler;

        String tenant = "shop";

        Stack(boolean withStarters, IgnoredMeters... ignored) {
            this.meters.config().commonTags("application", "shop").meterFilter(new MeterFilter() {
                @Override
                public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                    return id.getName().startsWith(MetricsAutoConfiguration.DEFAULT_OBSERVATION_NAME)
                            ? DistributionStatisticConfig.builder()
                                    .serviceLevelObjectives(
                                            Duration.ofMillis(5).toNanos(),
                                            Duration.ofMillis(25).toNanos())
                                    .build()
                                    .merge(config)
                            : config;
                }
            });
            this.observations
                    .observationConfig()
                    .observationFilter(context -> context.addLowCardinalityKeyValue(KeyValue.of("zone", "z1")));
            List<ObservationHandler<?>> handlers = new ArrayList<>();
            this.handler = withStarters ? new CachingServerRequestMeterHandler(this.meters, ignored) : null;
            if (withStarters) {
                handlers.add(this.handler);
            }
            handlers.add(new DefaultMeterObservationHandler(this.meters, ignored));
            this.observations
                    .observationConfig()
                    .observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(handlers));
        }

        String scrape() {
            return this.meters.scrape();
        }
    }
}
