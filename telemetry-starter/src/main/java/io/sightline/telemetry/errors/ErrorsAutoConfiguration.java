package io.sightline.telemetry.errors;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.sentry.IScopes;
import io.sentry.Sentry;
import io.sentry.SentryOptions;
import io.sentry.spring7.SentryRequestResolver;
import io.sentry.spring7.SentryUserFilter;
import io.sentry.spring7.tracing.TransactionNameProvider;
import io.sightline.telemetry.masking.Masker;
import io.sightline.telemetry.support.ServiceIdentity;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Sentry, only when a DSN is configured (see {@link ErrorsEnvironmentPostProcessor}): events are
 * tagged, and events, breadcrumbs and Sentry Logs masked, after the application's own Sentry callbacks
 * ({@link SentryMasking}); Sentry is closed with the application context, so its bounded shutdown
 * timeout applies to every way the application stops.
 * <p>
 * After Sentry's auto-configuration: its options configuration sets the application's callbacks, and
 * this one, listed after it, wraps them.
 */
@AutoConfiguration(afterName = "io.sentry.spring.boot4.SentryAutoConfiguration")
@ConditionalOnClass(Sentry.class)
@ConditionalOnBooleanProperty(name = "sightline.errors.enabled", matchIfMissing = true)
@ConditionalOnProperty("sentry.dsn")
@EnableConfigurationProperties(ErrorsProperties.class)
public class ErrorsAutoConfiguration {

    @Bean
    Sentry.OptionsConfiguration<SentryOptions> sightlineSentryMasking(
            Environment environment,
            ResourceLoader resourceLoader,
            ObjectProvider<Tracer> tracer,
            ObjectProvider<Masker> maskers) {
        // The context's Masker (the starter's, with its extra keys, or the application's): events and logs mask alike.
        Masker masker = maskers.getIfAvailable(Masker::defaults);
        SentryEventPreparer events = new SentryEventPreparer(
                ServiceIdentity.from(environment, resourceLoader).name(), () -> activeSpan(tracer), masker);
        return new SentryMasking(events, masker);
    }

    @Bean
    DisposableBean sightlineSentryCloser() {
        return Sentry::close;
    }

    private static SentryEventPreparer.ActiveSpan activeSpan(ObjectProvider<Tracer> tracer) {
        Tracer current = tracer.getIfAvailable();
        Span span = (current != null) ? current.currentSpan() : null;
        return (span != null)
                ? new SentryEventPreparer.ActiveSpan(
                        span.context().traceId(), span.context().spanId())
                : null;
    }

    /** Only in servlet applications: WebFlux ones have neither the servlet API nor these filters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({FilterRegistrationBean.class, SentryUserFilter.class})
    static class ServletRequestFilters {

        /** Static: a bean post-processor, created before the beans it looks at. */
        @Bean
        static SentryRequestFilters sightlineSentryRequestFilters(
                Environment environment,
                ObjectProvider<SentryOptions> options,
                ObjectProvider<IScopes> scopes,
                ObjectProvider<SentryRequestResolver> requestResolver,
                ObjectProvider<TransactionNameProvider> transactionNameProvider) {
            // Bound here, not injected: a bean post-processor is created before configuration properties beans.
            boolean requestOnDemand = Binder.get(environment)
                    .bindOrCreate("sightline.errors", ErrorsProperties.class)
                    .sentry()
                    .requestOnDemand();
            return new SentryRequestFilters(options, requestOnDemand, scopes, requestResolver, transactionNameProvider);
        }
    }
}
