package io.sightline.demo.links;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * How badly the demo behaves, so dashboards and alerts have something to show.
 *
 * @param slowRatio share of requests (0.0 to 1.0) delayed by {@code slowDelay}
 * @param slowDelay how long a slow request waits
 * @param failureRatio share of requests (0.0 to 1.0) that fail with HTTP 500
 */
@ConfigurationProperties("demo")
public record DemoProperties(
        @DefaultValue("0.0") double slowRatio,
        @DefaultValue("800ms") Duration slowDelay,
        @DefaultValue("0.0") double failureRatio) {

    public DemoProperties {
        requireRatio("demo.slow-ratio", slowRatio);
        requireRatio("demo.failure-ratio", failureRatio);
        if (slowDelay.isNegative()) {
            throw new InvalidConfigurationPropertyValueException(
                    "demo.slow-delay", slowDelay, "It must not be negative");
        }
    }

    private static void requireRatio(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new InvalidConfigurationPropertyValueException(name, value, "It must be between 0.0 and 1.0");
        }
    }
}
