package io.sightline.telemetry.errors;

import java.util.Set;

import io.sentry.IScopes;
import io.sentry.SentryOptions;
import io.sentry.spring7.SentryRequestResolver;
import io.sentry.spring7.SentrySpringFilter;
import io.sentry.spring7.SentryUserFilter;
import io.sentry.spring7.tracing.TransactionNameProvider;
import jakarta.servlet.Filter;
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
 * The registrations stay as beans, disabled. And {@code sentrySpringFilter}, Sentry's per-request scope, gets
 * {@link SentryRequestScopeFilter} in place of Sentry's filter (same registration: name, order, dispatch types),
 * which resolves the request at the first event instead of on every request; not while request bodies can be
 * captured ({@code sentry.send-default-pii} with a {@code sentry.max-request-body-size}), which only Sentry's
 * filter does, nor when the application registered its own filter under that name, nor with
 * {@code sightline.errors.sentry.request-on-demand=false}.
 * <p>
 * Sentry's options decide, as read when the registrations are created (after Sentry's initialisation, which they
 * depend on).
 */
final class SentryRequestFilters implements BeanPostProcessor {

    private static final Log logger = LogFactory.getLog(SentryRequestFilters.class);

    static final String TRACING_FILTER = "sentryTracingFilter";

    static final String USER_FILTER = "sentryUserFilter";

    static final String SCOPE_FILTER = "sentrySpringFilter";

    /** Sentry's user providers: each provides a user only with {@code send-default-pii}. */
    private static final Set<String> SENTRY_USER_PROVIDERS = Set.of(
            "io.sentry.spring7.HttpServletRequestSentryUserProvider",
            "io.sentry.spring7.SpringSecuritySentryUserProvider");

    private final ObjectProvider<SentryOptions> options;

    private final boolean requestOnDemand;

    private final ObjectProvider<IScopes> scopes;

    private final ObjectProvider<SentryRequestResolver> requestResolver;

    private final ObjectProvider<TransactionNameProvider> transactionNameProvider;

    SentryRequestFilters(
            ObjectProvider<SentryOptions> options,
            boolean requestOnDemand,
            ObjectProvider<IScopes> scopes,
            ObjectProvider<SentryRequestResolver> requestResolver,
            ObjectProvider<TransactionNameProvider> transactionNameProvider) {
        this.options = options;
        this.requestOnDemand = requestOnDemand;
        this.scopes = scopes;
        this.requestResolver = requestResolver;
        this.transactionNameProvider = transactionNameProvider;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof FilterRegistrationBean<?> registration)) {
            return bean;
        }
        if (canDoNothing(registration, beanName)) {
            registration.setEnabled(false);
            logger.debug("Sentry's " + beanName + " is not registered: it can change nothing Sentry sends");
        } else if (SCOPE_FILTER.equals(beanName) && canScopeLazily(registration)) {
            useFilter(
                    registration,
                    beanName,
                    new SentryRequestScopeFilter(
                            this.scopes.getObject(),
                            this.requestResolver.getObject(),
                            this.transactionNameProvider.getObject()));
        }
        return bean;
    }

    /** Sentry's own filter (not the application's) while it would cache no request body. */
    private boolean canScopeLazily(FilterRegistrationBean<?> registration) {
        SentryOptions sentry = sentryOptions();
        return this.requestOnDemand
                && registration.getFilter().getClass() == SentrySpringFilter.class
                && (!sentry.isSendDefaultPii() || sentry.getMaxRequestBodySize() == SentryOptions.RequestSize.NONE);
    }

    @SuppressWarnings("unchecked")
    private static void useFilter(FilterRegistrationBean<?> registration, String name, Filter filter) {
        // The name Sentry's registration is known by (deduced from its filter's class until now).
        registration.setName(name);
        ((FilterRegistrationBean<Filter>) registration).setFilter(filter);
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
