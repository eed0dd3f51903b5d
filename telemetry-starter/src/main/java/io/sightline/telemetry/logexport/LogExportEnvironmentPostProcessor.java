package io.sightline.telemetry.logexport;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sightline.telemetry.support.StarterDefaults;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Direct log export expressed as Boot 4's OpenTelemetry logging properties, only when
 * {@code sightline.logging.otlp.endpoint} is set: Boot then builds the OTLP/HTTP exporter, gzip-compressed,
 * with timeouts short enough that a slow endpoint neither piles up exports nor holds the shutdown. Binding
 * the settings here also fails the start-up on an invalid value, with the property's name.
 */
public class LogExportEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String BOOT_PREFIX = "management.opentelemetry.logging.export.otlp.";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!StarterDefaults.enabled(environment, "sightline.logging")) {
            return;
        }
        LogExportProperties properties =
                Binder.get(environment).bindOrCreate("sightline.logging.otlp", LogExportProperties.class);
        if (!properties.active()) {
            return;
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put(BOOT_PREFIX + "endpoint", properties.endpoint().trim());
        defaults.put(BOOT_PREFIX + "transport", "http");
        defaults.put(BOOT_PREFIX + "compression", "gzip");
        defaults.put(BOOT_PREFIX + "connect-timeout", "2s");
        defaults.put(BOOT_PREFIX + "timeout", "5s");
        StarterDefaults.add(environment, defaults);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
