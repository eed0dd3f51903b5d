package io.sightline.telemetry.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.transport.ReceiverContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.ClassUtils;
import org.springframework.web.ErrorResponse;

/**
 * Counts {@code sightline_exceptions_total{exception}}: every exception that fails an observed
 * incoming request (HTTP server requests of Spring MVC and WebFlux, and any other
 * {@link ReceiverContext} observation), plus whatever the application passes to
 * {@link #record(Throwable)}. Client errors (an exception that answers with a 4xx status) are not
 * counted, on either web stack. Logged errors are not counted here: a request that fails and is
 * logged would otherwise be counted twice. An application's own bean of this type replaces the
 * starter's.
 * <p>
 * The label is the exception's simple class name, the same value Micrometer puts in the
 * {@code exception} tag of {@code http_server_requests_seconds}. Only the first
 * {@code maxClasses} distinct classes get their own series; later ones are counted as
 * {@value #OTHER}, so a flood of generated exception types cannot grow the series count.
 */
public class ExceptionMetrics implements ObservationHandler<Observation.Context> {

    static final String METER_NAME = "sightline.exceptions";

    static final String OTHER = "other";

    private final ObjectProvider<MeterRegistry> registry;

    private final int maxClasses;

    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    // The registry is looked up lazily: the observation registry that calls this handler is
    // built while meter registries are still being configured.
    public ExceptionMetrics(ObjectProvider<MeterRegistry> registry, int maxClasses) {
        this.registry = registry;
        this.maxClasses = maxClasses;
    }

    /** Counts one occurrence of {@code exception} under its class name (or {@value #OTHER}). */
    public void record(Throwable exception) {
        Counter.builder(METER_NAME)
                .description("Exceptions by class; classes beyond the configured cap are counted as 'other'")
                .tag("exception", label(exception))
                .register(this.registry.getObject())
                .increment();
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof ReceiverContext<?>;
    }

    @Override
    public void onStop(Observation.Context context) {
        Throwable error = context.getError();
        if (error != null && !isClientError(error)) {
            record(error);
        }
    }

    /**
     * A request the client got wrong (404 for a path nobody serves, a 400 the handler answers): Spring MVC
     * resolves these before the observation ends, WebFlux reports them as the observation's error; neither
     * is an exception that failed the request, so both stacks count them the same, not at all.
     */
    private static boolean isClientError(Throwable error) {
        return WEB_PRESENT && WebErrors.isClientError(error);
    }

    private static final boolean WEB_PRESENT =
            ClassUtils.isPresent("org.springframework.web.ErrorResponse", ExceptionMetrics.class.getClassLoader());

    /** Only loaded when spring-web is on the classpath. */
    private static final class WebErrors {

        static boolean isClientError(Throwable error) {
            return error instanceof ErrorResponse response
                    && response.getStatusCode().is4xxClientError();
        }
    }

    private String label(Throwable exception) {
        String name = exception.getClass().getSimpleName();
        if (name.isEmpty()) {
            name = exception.getClass().getName();
        }
        if (this.admitted.contains(name)) {
            return name;
        }
        synchronized (this.admitted) {
            if (this.admitted.size() < this.maxClasses) {
                this.admitted.add(name);
                return name;
            }
        }
        return OTHER;
    }
}
