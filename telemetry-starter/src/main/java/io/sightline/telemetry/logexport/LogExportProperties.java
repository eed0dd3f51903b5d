package io.sightline.telemetry.logexport;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * Direct log export: the starter's log records, masked, sent over OTLP/HTTP (gzip) to Loki's OTLP
 * endpoint or an OpenTelemetry collector, besides the console and file.
 *
 * @param enabled Whether records are exported when an endpoint is set; {@code false} keeps the endpoint
 * configured but sends nothing.
 * @param endpoint Full URL of the OTLP/HTTP logs endpoint, such as
 * {@code http://loki.sightline.svc:3100/otlp/v1/logs}; nothing is exported while it is unset. Becomes Boot's
 * {@code management.opentelemetry.logging.export.otlp.endpoint} unless that is set.
 * @param queueSize Records that may wait for export before new ones are dropped and counted
 * ({@code sightline_log_events_dropped_total{reason="export_queue_full"}}); must be positive.
 * @param shutdownTimeout Longest time the application's shutdown waits for the records logged before it
 * to be exported; what is not sent by then is lost to this destination (the console and file have it).
 * Positive, at most 10s.
 */
@ConfigurationProperties("sightline.logging.otlp")
public record LogExportProperties(
        @DefaultValue("true") boolean enabled,
        String endpoint,
        @DefaultValue("2048") int queueSize,
        @DefaultValue("2s") Duration shutdownTimeout) {

    /** OTLP/HTTP's path for logs; Loki serves it under {@code /otlp}. */
    static final String LOGS_PATH = "/v1/logs";

    /** Longer would hold a rolling update (Kubernetes waits for the pod to stop). */
    static final Duration MAX_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    public LogExportProperties {
        if (StringUtils.hasText(endpoint) && !isLogsUrl(endpoint.trim())) {
            throw new InvalidConfigurationPropertyValueException(
                    "sightline.logging.otlp.endpoint",
                    endpoint,
                    "It must be the full http:// or https:// URL of an OTLP logs endpoint, ending in " + LOGS_PATH
                            + ", such as http://loki.sightline.svc:3100/otlp/v1/logs (Loki) or "
                            + "http://otel-collector:4318/v1/logs (a collector)");
        }
        if (queueSize <= 0) {
            throw new InvalidConfigurationPropertyValueException(
                    "sightline.logging.otlp.queue-size", queueSize, "It must be positive, such as 2048");
        }
        if (shutdownTimeout == null
                || shutdownTimeout.isNegative()
                || shutdownTimeout.isZero()
                || shutdownTimeout.compareTo(MAX_SHUTDOWN_TIMEOUT) > 0) {
            throw new InvalidConfigurationPropertyValueException(
                    "sightline.logging.otlp.shutdown-timeout",
                    shutdownTimeout,
                    "It must be positive and at most " + MAX_SHUTDOWN_TIMEOUT.toSeconds() + "s, such as 2s");
        }
    }

    /** Whether records are exported: switched on and an endpoint set. */
    public boolean active() {
        return this.enabled && StringUtils.hasText(this.endpoint);
    }

    private static boolean isLogsUrl(String value) {
        try {
            URI uri = URI.create(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null
                    && uri.getPath() != null
                    && uri.getPath().endsWith(LOGS_PATH);
        } catch (IllegalArgumentException ex) {
            return false;
        }
    }
}
