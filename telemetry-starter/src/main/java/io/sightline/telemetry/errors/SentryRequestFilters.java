package io.sightline.telemetry.errors;

import java.util.Set;

import io.sentry.SentryOptions;
import io.sentry.spring7.SentryUserFilter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/**
 * Leaves out two of the servlet filters Sentry's Spring Boot integration registers, while they cannot change
 * what is sent: both run on every request.
 * <ul>
 * <li>{@code sentryTracingFilter}, while Sentry's own tracing is off (no {@code sentry.traces-sample-rate}, no
 * traces sampler): it then only reads Sentry's trace headers into the request's scope. The starter traces
 * with OpenTelemetry and gives each event the request's OpenTelemetry trace ({@link SentryEventPreparer}).</li>
 * <li>{@code sentryUserFilter}, while {@code sentry.send-default-pii} is off and its only user providers are
 * Sentry's own: those then provide no user, and the filter sets an empty one.</li>
 * </ul>
 * The registrations stay as beans, disabled; Sentry's options decide, as read when the registrations are created
 * (after Sentry's initialisation, which they depend on).
 */
final class SentryRequestFilters implements BeanPostProcessor {

    private static final Log logger = LogFactory.getLog(SentryRequestFilters.class);

    static final String TRACING_FILTER = "sentryTracingFilter";

    static final String USER_FILTER = "sentryUserFilter";

    /** Sentry's user providers: each provides a user only with {@code send-default-pii}. */
    private static final Set<String> SENTRY_USER_PROVIDERS = Set.of(
            "io.sentry.spring7.HttpServletRequestSentryUserProvider",
            "io.sentry.spring7.SpringSecuritySentryUserProvider");

    private final ObjectProvider<SentryOptions> options;

    SentryRequestFilters(ObjectProvider<SentryOptions> options) {
        this.options = options;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof FilterRegistrationBean<?> registration && canDoNothing(registration, beanName)) {
            registration.setEnabled(false);
            logger.debug("Sentry's " + beanName + " is not registered: it can change nothing Sentry sends");
        }
        return bean;
    }

    private boolean canDoNothing(FilterRegistrationBean<?> registration, String beanName) {
        if (TRACING_FILTER.equals(beanName)) {
            return !sentryOptions().isTracingEnabled();
        }
        if (USER_FILTER.equals(beanName) && registration.getFilter() instanceof SentryUserFilter filter) {
            return !sentryOptions().isSendDefaultPii()
                    && filter.getSentryUserProviders().stream()
                            .allMatch(provider -> SENTRY_USER_PROVIDERS.contains(
                                    provider.getClass().getName()));
        }
        return false;
    }

    private SentryOptions sentryOptions() {
        return this.options.getObject();
    }
}
