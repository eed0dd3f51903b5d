package io.sightline.telemetry.tracing;

import java.util.concurrent.TimeUnit;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.servlet.http.HttpServletRequest;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Extracting the trace context from one request's headers, as the server observation does at its start.
 * {@code boot}: the propagator Boot builds with its defaults (W3C, B3 and B3 multi consumed, baggage on, no
 * remote field); {@code starter}: the starter's around it. Both come from the same real application context.
 * Header sets: {@code none} (a request that starts a trace), {@code traceparent}, {@code traceparent-baggage}.
 * In this package because the starter's propagator is not public API.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TraceContextExtract {

    private static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {

        @Override
        public Iterable<String> keys(HttpServletRequest request) {
            return java.util.Collections.list(request.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest request, String name) {
            return request.getHeader(name);
        }
    };

    @Param({"boot", "starter"})
    public String propagator;

    @Param({"none", "traceparent", "traceparent-baggage"})
    public String headers;

    private ConfigurableApplicationContext context;

    private TextMapPropagator extractor;

    private MockHttpServletRequest request;

    @Setup
    public void prepare() {
        this.context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run();
        LeanExtractPropagator lean = this.context.getBeanProvider(TextMapPropagator.class).stream()
                .filter(LeanExtractPropagator.class::isInstance)
                .map(LeanExtractPropagator.class::cast)
                .findFirst()
                .orElseThrow();
        this.extractor = this.propagator.equals("boot") ? lean.boots() : lean;
        this.request = new MockHttpServletRequest("GET", "/api/users/bench/links");
        this.request.addHeader("Host", "orders:8080");
        this.request.addHeader("User-Agent", "Java-http-client/21");
        this.request.addHeader("Accept", "application/json");
        this.request.addHeader("Content-Length", "0");
        if (!this.headers.equals("none")) {
            this.request.addHeader("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        }
        if (this.headers.equals("traceparent-baggage")) {
            this.request.addHeader("baggage", "region=eu-1,tenant=acme");
        }
    }

    @TearDown
    public void close() {
        this.context.close();
    }

    @Benchmark
    public Context extract() {
        return this.extractor.extract(Context.root(), this.request, HEADERS);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}
}
