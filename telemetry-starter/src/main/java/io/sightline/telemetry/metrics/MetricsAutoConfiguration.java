package io.sightline.telemetry.metrics;

import java.util.List;
import java.util.Objects;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmThreadDeadlockMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.sightline.telemetry.support.ServiceIdentity;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;

/**
 * What the starter adds to Boot's Micrometer support: the build-info gauge, the exception
 * counter and the deadlocked-threads gauge (Boot does not bind it; the {@code JvmThreadsDeadlocked}
 * alert reads it), and Spring's request tags built once per combination (servlet and WebFlux applications). Port,
 * exposure, common tag, SLO buckets and the {@code uri} tag cap are property defaults set by
 * {@link MetricsEnvironmentPostProcessor}.
 * <p>
 * Before Boot's WebFlux observation configuration, which registers Spring's reactive convention unless a bean of
 * that type exists already; after Boot's metrics configuration, whose meter observation handler the starter's
 * request timers stand in front of.
 */
@AutoConfiguration(
        beforeName = "org.springframework.boot.webflux.autoconfigure.WebFluxObservationAutoConfiguration",
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
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

    /**
     * The request timers looked up once per combination ({@link CachingServerRequestMeterHandler}). Boot collects
     * every {@code MeterObservationHandler} bean, in order, into one first-match composite (each wrapped for
     * exemplars when tracing is on): this one comes before Micrometer's default handler, which keeps every other
     * observation. Only in front of Boot's handler alone: not registered when the application has a meter handler
     * of its own, or Boot's metrics configuration is off.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication
    @ConditionalOnClass({ServerRequestObservationContext.class, MetricsProperties.class})
    static class ServerRequestTimers {

        @Bean
        @Order(Ordered.LOWEST_PRECEDENCE - 1)
        @Conditional(OnlyBootsMeterObservationHandler.class)
        CachingServerRequestMeterHandler sightlineServerRequestMeterHandler(
                ObjectProvider<MeterRegistry> registry, ObjectProvider<Clock> clock, MetricsProperties properties) {
            // the registry as Boot's default handler gets it
            return new CachingServerRequestMeterHandler(
                    registry.getIfAvailable(() -> new CompositeMeterRegistry(clock.getIfAvailable(() -> Clock.SYSTEM))),
                    properties.getObservations().getIgnoredMeters().toArray(IgnoredMeters[]::new));
        }
    }

    /** The one meter observation handler defined so far is Boot's. */
    static final class OnlyBootsMeterObservationHandler extends SpringBootCondition {

        static final String BOOTS_HANDLER = "defaultMeterObservationHandler";

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            List<String> handlers = List.of(Objects.requireNonNull(context.getBeanFactory())
                    .getBeanNamesForType(MeterObservationHandler.class, true, false));
            return handlers.equals(List.of(BOOTS_HANDLER))
                    ? ConditionOutcome.match("Boot's meter observation handler alone")
                    : ConditionOutcome.noMatch("meter observation handlers " + handlers);
        }
    }
}
