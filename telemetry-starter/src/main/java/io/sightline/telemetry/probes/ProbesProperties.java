package io.sightline.telemetry.probes;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Kubernetes probes and graceful shutdown.
 *
 * @param enabled Whether the starter turns on the liveness and readiness health groups (also
 * outside Kubernetes) and sets the shutdown defaults
 * @param shutdownTimeout How long each shutdown phase (e.g. draining in-flight requests) may
 * take; keep it below the pod's {@code terminationGracePeriodSeconds} (30 s by default)
 */
@ConfigurationProperties("sightline.probes")
public record ProbesProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("20s") Duration shutdownTimeout) {

    public ProbesProperties {
        if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
            throw new InvalidConfigurationPropertyValueException(
                    "sightline.probes.shutdown-timeout",
                    shutdownTimeout,
                    "It must be positive, e.g. 20s, and below the pod's termination grace period");
        }
    }
}
