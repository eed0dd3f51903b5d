package io.sightline.telemetry.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmThreadDeadlockMetrics;
import io.sightline.telemetry.support.ServiceIdentity;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.server.observation.ServerRequestObservationConvention;

/**
 * What the starter adds to Boot's Micrometer support: the build-info gauge, the exception
 * counter and the deadlocked-threads gauge (Boot does not bind it; the {@code JvmThreadsDeadlocked}
 * alert reads it), and Spring's request tags built once per combination (servlet and WebFlux applications). Port,
 * exposure, common tag, SLO buckets and the {@code uri} tag cap are property defaults set by
 * {@link MetricsEnvironmentPostProcessor}.
 * <p>
 * Before Boot's WebFlux observation configuration, which registers Spring's reactive convention unless a bean of
 * that type exists already.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webflux.autoconfigure.WebFluxObservationAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "sightline.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SightlineMetricsProperties.class)
public class MetricsAutoConfiguration {

    /** Boot's setting for the name of the server request observation, hence of its timer. */
    static final String OBSERVATION_NAME_PROPERTY = "management.observations.http.server.requests.name";

    static final String DEFAULT_OBSERVATION_NAME = "http.server.requests";

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

    /**
     * Spring's request tags, built once per combination ({@link CachingServerRequestConvention}); Boot's
     * observation filter uses a {@code ServerRequestObservationConvention} bean when there is one, and an
     * application's own wins over this one.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(ServerRequestObservationConvention.class)
    static class ServletRequestTags {

        @Bean
        @ConditionalOnMissingBean(ServerRequestObservationConvention.class)
        ServerRequestObservationConvention sightlineServerRequestConvention(Environment environment) {
            return new CachingServerRequestConvention(
                    environment.getProperty(OBSERVATION_NAME_PROPERTY, DEFAULT_OBSERVATION_NAME));
        }
    }

    /** {@link ServletRequestTags}' counterpart for WebFlux ({@link CachingReactiveServerRequestConvention}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(org.springframework.http.server.reactive.observation.ServerRequestObservationConvention.class)
    static class ReactiveRequestTags {

        @Bean
        @ConditionalOnMissingBean(
                org.springframework.http.server.reactive.observation.ServerRequestObservationConvention.class)
        org.springframework.http.server.reactive.observation.ServerRequestObservationConvention
                sightlineReactiveServerRequestConvention(Environment environment) {
            return new CachingReactiveServerRequestConvention(
                    environment.getProperty(OBSERVATION_NAME_PROPERTY, DEFAULT_OBSERVATION_NAME));
        }
    }
}
