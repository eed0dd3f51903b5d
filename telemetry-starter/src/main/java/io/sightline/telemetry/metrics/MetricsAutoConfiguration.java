package io.sightline.telemetry.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmThreadDeadlockMetrics;
import io.sightline.telemetry.support.ServiceIdentity;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * What the starter adds to Boot's Micrometer support: the build-info gauge, the exception
 * counter and the deadlocked-threads gauge (Boot does not bind it; the {@code JvmThreadsDeadlocked}
 * alert reads it). Port, exposure, common tag, SLO buckets and the {@code uri} tag cap are property
 * defaults set by {@link MetricsEnvironmentPostProcessor}.
 */
@AutoConfiguration
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "sightline.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SightlineMetricsProperties.class)
public class MetricsAutoConfiguration {

    @Bean
    BuildInfoMetrics sightlineBuildInfoMetrics(Environment environment, ResourceLoader resourceLoader) {
        return new BuildInfoMetrics(ServiceIdentity.from(environment, resourceLoader));
    }

    @Bean
    @ConditionalOnMissingBean
    ExceptionMetrics sightlineExceptionMetrics(
            ObjectProvider<MeterRegistry> registry, SightlineMetricsProperties properties) {
        return new ExceptionMetrics(registry, properties.maxExceptionClasses());
    }

    @Bean
    @ConditionalOnMissingBean
    JvmThreadDeadlockMetrics jvmThreadDeadlockMetrics() {
        return new JvmThreadDeadlockMetrics();
    }
}
