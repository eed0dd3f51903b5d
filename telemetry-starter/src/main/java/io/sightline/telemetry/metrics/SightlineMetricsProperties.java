package io.sightline.telemetry.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Metrics: Prometheus on the management port, contract names and bounded cardinality.
 *
 * @param enabled Whether the starter configures metrics (management port defaults, Prometheus
 * exposure, common tag, SLO buckets, build info, exception counter, tag caps); when false, no
 * metrics are exported
 * @param maxUriTags How many distinct {@code uri} tag values {@code http.server.requests} may have;
 * requests with further values are not recorded
 * @param maxExceptionClasses How many distinct exception classes {@code sightline_exceptions_total}
 * names; further classes are counted as {@code exception="other"}
 */
@ConfigurationProperties("sightline.metrics")
public record SightlineMetricsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("100") int maxUriTags,
        @DefaultValue("50") int maxExceptionClasses) {

    public SightlineMetricsProperties {
        requirePositive("sightline.metrics.max-uri-tags", maxUriTags);
        requirePositive("sightline.metrics.max-exception-classes", maxExceptionClasses);
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new InvalidConfigurationPropertyValueException(
                    name, value, "It must be at least 1; remove it to use the default");
        }
    }
}
