package io.sightline.telemetry.errors;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.sentry.Sentry;
import io.sentry.spring7.SentryRequestResolver;
import io.sentry.spring7.SentrySpringFilter;
import io.sentry.spring7.tracing.SpringMvcTransactionNameProvider;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
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
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * One request through Sentry's per-request scope filter, without an event (the usual request): {@code sentry}:
 * Sentry's {@code SentrySpringFilter}; {@code starter}: {@link SentryRequestScopeFilter}, which resolves the request
 * only for an event. Sentry initialised with a DSN it never reaches (nothing is captured), {@code send-default-pii}
 * off; the request has twelve typical headers ({@link TypicalRequests}). In this package because the starter's
 * filter is not public API.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SentryRequestScope {

    private static final FilterChain APPLICATION = (request, response) -> {};

    @Param({"sentry", "starter"})
    public String filter;

    private Filter scopeFilter;

    private final MockHttpServletRequest request = TypicalRequests.get("bench");

    private final MockHttpServletResponse response = new MockHttpServletResponse();

    @Setup
    public void prepare() {
        Sentry.init((options) -> options.setDsn("http://publickey@127.0.0.1:9/42"));
        SentryRequestResolver resolver = new SentryRequestResolver(Sentry.getCurrentScopes());
        this.scopeFilter = this.filter.equals("sentry")
                ? new SentrySpringFilter(Sentry.getCurrentScopes(), resolver, new SpringMvcTransactionNameProvider())
                : new SentryRequestScopeFilter(
                        Sentry.getCurrentScopes(), resolver, new SpringMvcTransactionNameProvider());
    }

    @TearDown
    public void close() {
        Sentry.close();
    }

    @Benchmark
    public void oneRequest() throws IOException, ServletException {
        this.scopeFilter.doFilter(this.request, this.response, APPLICATION);
    }
}
