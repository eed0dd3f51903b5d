package io.sightline.telemetry.probes;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sightline.telemetry.support.StarterDefaults;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Probe and shutdown defaults: {@code /actuator/health/liveness} and {@code /readiness} on the
 * management port 8081 (not on the application port), also when not running in Kubernetes, and
 * graceful shutdown bounded by {@code sightline.probes.shutdown-timeout}.
 */
public class ProbesEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!StarterDefaults.enabled(environment, "sightline.probes")) {
            return;
        }
        ProbesProperties properties = Binder.get(environment).bindOrCreate("sightline.probes", ProbesProperties.class);
        Map<String, Object> defaults = new LinkedHashMap<>();
        StarterDefaults.addManagementServer(environment, defaults);
        defaults.put("management.endpoint.health.probes.enabled", "true");
        defaults.put("management.endpoint.health.probes.add-additional-paths", "false");
        defaults.put("server.shutdown", "graceful");
        defaults.put(
                "spring.lifecycle.timeout-per-shutdown-phase",
                properties.shutdownTimeout().toMillis() + "ms");
        StarterDefaults.add(environment, defaults);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
