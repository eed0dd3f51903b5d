package io.sightline.telemetry.tracing;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sightline.telemetry.support.StarterDefaults;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.StringUtils;

/**
 * Tracing defaults expressed as Boot 4 properties: sampling probability, the OTLP endpoint (only
 * when one is configured, so nothing is exported by default), short exporter timeouts (an
 * unreachable collector must not stall shutdown) and, in reactive web applications only, automatic
 * Reactor context propagation.
 */
public class TracingEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String BOOT_OTLP_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (!StarterDefaults.enabled(environment, "sightline.tracing")) {
            defaults.put("management.tracing.sampling.probability", "0.0");
            defaults.put("management.tracing.export.enabled", "false");
            StarterDefaults.add(environment, defaults);
            return;
        }
        TracingProperties properties =
                Binder.get(environment).bindOrCreate("sightline.tracing", TracingProperties.class);
        defaults.put("management.tracing.sampling.probability", properties.samplingProbability());
        String endpoint = otlpEndpoint(environment, properties);
        if (endpoint != null) {
            defaults.put(BOOT_OTLP_ENDPOINT, endpoint);
        }
        defaults.put("management.opentelemetry.tracing.export.otlp.connect-timeout", "2s");
        defaults.put("management.opentelemetry.tracing.export.otlp.timeout", "5s");
        defaults.put("management.opentelemetry.tracing.export.timeout", "5s");
        if (application.getWebApplicationType() == WebApplicationType.REACTIVE) {
            // The MDC (trace_id in log lines) must follow a request across publishOn, delay and other thread
            // hops. Other applications keep Boot's "limited": automatic propagation costs every operator.
            defaults.put("spring.reactor.context-propagation", "auto");
        }
        StarterDefaults.add(environment, defaults);
    }

    /** The starter's property first, then the OpenTelemetry SDK's standard environment variables. */
    private static String otlpEndpoint(ConfigurableEnvironment environment, TracingProperties properties) {
        if (StringUtils.hasText(properties.otlp().endpoint())) {
            return properties.otlp().endpoint().trim();
        }
        String traces = environment.getProperty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        if (StringUtils.hasText(traces)) {
            return traces.trim();
        }
        String base = environment.getProperty("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (StringUtils.hasText(base)) {
            return base.trim().replaceAll("/+$", "") + "/v1/traces";
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
