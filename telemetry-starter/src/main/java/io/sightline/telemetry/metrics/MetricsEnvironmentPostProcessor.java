package io.sightline.telemetry.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sightline.telemetry.support.ServiceIdentity;
import io.sightline.telemetry.support.StarterDefaults;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Metrics defaults on top of Boot's actuator: management port 8081, only {@code health},
 * {@code info} and {@code prometheus} over HTTP, the {@code application} common tag, the
 * contract's SLO buckets for {@code http.server.requests}, the {@code uri} tag cap, and no OTLP metrics push unless an
 * OTLP endpoint is configured. All are defaults: the application can override each one.
 */
public class MetricsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** The contract's {@code le} bounds (section 4), in Boot's duration syntax. */
    static final String HTTP_SERVER_SLO = "5ms,10ms,25ms,50ms,100ms,250ms,500ms,1s,2500ms,5s,10s";

    private static final String OTLP_METRICS_URL = "management.otlp.metrics.export.url";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (!StarterDefaults.enabled(environment, "sightline.metrics")) {
            defaults.put("management.defaults.metrics.export.enabled", "false");
            defaults.put("management.endpoints.web.exposure.include", "health,info");
            StarterDefaults.add(environment, defaults);
            return;
        }
        SightlineMetricsProperties properties =
                Binder.get(environment).bindOrCreate("sightline.metrics", SightlineMetricsProperties.class);
        ServiceIdentity identity = ServiceIdentity.from(environment, application.getClassLoader());
        StarterDefaults.addManagementServer(environment, defaults);
        defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus");
        defaults.put("management.metrics.tags.application", identity.name());
        defaults.put("management.metrics.distribution.percentiles-histogram.http.server.requests", "false");
        defaults.put("management.metrics.distribution.slo.http.server.requests", HTTP_SERVER_SLO);
        // A long-task timer started and stopped for every request (http_server_requests_active_seconds):
        // no dashboard or alert reads it, and it was a measurable share of the per-request cost.
        defaults.put("management.metrics.observations.ignored-meters", "long-task-timer");
        // Boot's own cap (a MeterFilter on http.server.requests for MVC and WebFlux) does the work.
        defaults.put("management.metrics.web.server.max-uri-tags", properties.maxUriTags());
        if (!otlpMetricsEndpointConfigured(environment)) {
            // Boot would otherwise push to localhost:4318 every minute and log each failure.
            defaults.put("management.otlp.metrics.export.enabled", "false");
        }
        StarterDefaults.add(environment, defaults);
    }

    private static boolean otlpMetricsEndpointConfigured(ConfigurableEnvironment environment) {
        return environment.containsProperty(OTLP_METRICS_URL)
                || environment.containsProperty("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")
                || environment.containsProperty("OTEL_EXPORTER_OTLP_ENDPOINT");
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
