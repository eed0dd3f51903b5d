package io.sightline.telemetry.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.common.KeyValues;
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
import org.openjdk.jmh.infra.Blackhole;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The {@code http.server.requests} tag set of one request as the observation asks for it: once when it starts
 * (no handler pattern yet) and once when it stops (pattern and status known). {@code spring}: Spring's
 * convention, which Boot uses by default; {@code starter}: the starter's, which builds each combination once.
 * In this package because the starter's convention is not public API.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ServerRequestTags {

    @Param({"spring", "starter"})
    public String convention;

    private ServerRequestObservationConvention tags;

    private ServerRequestObservationContext starting;

    private ServerRequestObservationContext stopping;

    @Setup
    public void prepare() {
        this.tags = this.convention.equals("spring")
                ? new DefaultServerRequestObservationConvention()
                : new CachingServerRequestConvention(MetricsAutoConfiguration.DEFAULT_OBSERVATION_NAME);
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/users/bench/links");
        MockHttpServletResponse response = new MockHttpServletResponse();
        this.starting = new ServerRequestObservationContext(request, response);
        this.stopping = new ServerRequestObservationContext(request, response);
        this.stopping.setPathPattern("/api/users/{id}/links");
    }

    @Benchmark
    public void oneRequest(Blackhole blackhole) {
        blackhole.consume(this.tags.getLowCardinalityKeyValues(this.starting));
        blackhole.consume(this.tags.getLowCardinalityKeyValues(this.stopping));
    }

    /** One request's two tag sets, for {@code CpuPerOperation} (no JMH harness). */
    public KeyValues oneRequest() {
        this.tags.getLowCardinalityKeyValues(this.starting);
        return this.tags.getLowCardinalityKeyValues(this.stopping);
    }
}
