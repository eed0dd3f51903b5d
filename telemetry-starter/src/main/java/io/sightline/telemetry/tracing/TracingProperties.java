package io.sightline.telemetry.tracing;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Tracing: Micrometer Tracing bridged to the OpenTelemetry SDK, as Boot 4 wires it.
 *
 * @param enabled Whether the starter configures tracing; when false, spans are neither sampled
 * nor exported
 * @param samplingProbability Share of new traces that are sampled (recorded, exported, usable as
 * exemplars), from 0.0 to 1.0; becomes Boot's {@code management.tracing.sampling.probability}
 * unless that is set
 * @param otlp Where sampled spans go
 */
@ConfigurationProperties("sightline.tracing")
public record TracingProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0.1") double samplingProbability,
        @DefaultValue Otlp otlp) {

    public TracingProperties {
        if (!(samplingProbability >= 0.0 && samplingProbability <= 1.0)) {
            throw new InvalidConfigurationPropertyValueException(
                    "sightline.tracing.sampling-probability",
                    samplingProbability,
                    "It must be between 0.0 and 1.0 (e.g. 0.1 samples one trace in ten)");
        }
    }

    /**
     * @param endpoint OTLP/HTTP traces endpoint, e.g. {@code http://otel-collector:4318/v1/traces};
     * when unset (and neither Boot's property nor {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set) no
     * spans are exported
     */
    public record Otlp(String endpoint) {

        public Otlp {
            if (endpoint != null && !endpoint.isBlank() && !isHttpUrl(endpoint)) {
                throw new InvalidConfigurationPropertyValueException(
                        "sightline.tracing.otlp.endpoint",
                        endpoint,
                        "It must be an http:// or https:// URL such as http://otel-collector:4318/v1/traces");
            }
        }

        private static boolean isHttpUrl(String value) {
            try {
                URI uri = URI.create(value.trim());
                return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
            } catch (IllegalArgumentException ex) {
                return false;
            }
        }
    }
}
