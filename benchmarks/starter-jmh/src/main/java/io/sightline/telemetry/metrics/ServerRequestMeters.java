package io.sightline.telemetry.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * One request's {@code http.server.requests} observation, started and stopped, through an observation registry
 * wired as Boot wires it with the starter's defaults (Prometheus registry, a common tag, SLO buckets, no
 * long-task timer, the starter's tag convention, the meter handlers in one first-match composite).
 * {@code micrometer}: Micrometer's default meter handler alone; {@code starter}: the starter's in front of it.
 * Without tracing, which wraps both the same way. In this package because the starter's classes are not public API.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ServerRequestMeters {

    @Param({"micrometer", "starter"})
    public String handler;

    private final ObservationRegistry observations = ObservationRegistry.create();

    private final CachingServerRequestConvention tags =
            new CachingServerRequestConvention(MetricsAutoConfiguration.DEFAULT_OBSERVATION_NAME);

    private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/users/bench/links");

    private final MockHttpServletResponse response = new MockHttpServletResponse();

    @Setup
    public void prepare() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.config().commonTags("application", "bench").meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(
                                Duration.ofMillis(5).toNanos(),
                                Duration.ofMillis(50).toNanos(),
                                Duration.ofMillis(500).toNanos())
                        .build()
                        .merge(config);
            }
        });
        List<ObservationHandler<?>> handlers = new ArrayList<>();
        if (this.handler.equals("starter")) {
            handlers.add(new CachingServerRequestMeterHandler(meters, IgnoredMeters.LONG_TASK_TIMER));
        }
        handlers.add(new DefaultMeterObservationHandler(meters, IgnoredMeters.LONG_TASK_TIMER));
        this.observations
                .observationConfig()
                .observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(handlers));
    }

    /** Start, the handler's pattern and the status as the filter chain sets them, stop. */
    @Benchmark
    public Observation oneRequest() {
        ServerRequestObservationContext context = new ServerRequestObservationContext(this.request, this.response);
        Observation observation = Observation.createNotStarted(null, this.tags, () -> context, this.observations)
                .start();
        context.setPathPattern("/api/users/{id}/links");
        this.response.setStatus(200);
        observation.stop();
        return observation;
    }
}
