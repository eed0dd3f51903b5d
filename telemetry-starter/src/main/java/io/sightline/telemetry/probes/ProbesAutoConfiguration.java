package io.sightline.telemetry.probes;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Binds (and so validates and documents) {@code sightline.probes.*}. The probes themselves are
 * Boot's availability health groups, switched on by {@link ProbesEnvironmentPostProcessor}.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "sightline.probes.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ProbesProperties.class)
public class ProbesAutoConfiguration {}
