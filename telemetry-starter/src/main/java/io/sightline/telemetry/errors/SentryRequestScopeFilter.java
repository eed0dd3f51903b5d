package io.sightline.telemetry.errors;

import java.io.IOException;

import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.IScopes;
import io.sentry.ISentryLifecycleToken;
import io.sentry.SentryLevel;
import io.sentry.TypeCheckHint;
import io.sentry.spring7.SentryRequestResolver;
import io.sentry.spring7.tracing.TransactionNameProvider;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sentry's per-request scope ({@code SentrySpringFilter}'s work) without resolving the request up front: the
 * request's scopes are forked, the http breadcrumb added, and the Sentry {@code Request} and transaction name are
 * resolved by Sentry's own resolver and provider at the first event that needs them ({@link InFlightRequest}).
 * Sentry's filter resolves every request in full (URL, every header) although only the rare event reads it.
 * <p>
 * Does not cache request bodies: the starter keeps Sentry's filter when they could be captured
 * ({@link SentryRequestFilters}).
 */
final class SentryRequestScopeFilter extends OncePerRequestFilter {

    private final IScopes scopesBeforeForking;

    private final SentryRequestResolver requestResolver;

    private final TransactionNameProvider transactionNameProvider;

    SentryRequestScopeFilter(
            IScopes scopes, SentryRequestResolver requestResolver, TransactionNameProvider transactionNameProvider) {
        this.scopesBeforeForking = scopes;
        this.requestResolver = requestResolver;
        this.transactionNameProvider = transactionNameProvider;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!this.scopesBeforeForking.isEnabled()) {
            chain.doFilter(request, response);
            return;
        }
        // The same origin as Sentry's filter: scopes forked here look alike to anything that reads it.
        IScopes scopes = this.scopesBeforeForking.forkedScopes("SentrySpringFilter");
        InFlightRequest inFlight = new InFlightRequest(request, this.requestResolver, this.transactionNameProvider);
        try (ISentryLifecycleToken ignored = scopes.makeCurrent()) {
            Hint hint = new Hint();
            hint.set(TypeCheckHint.SPRING_REQUEST_FILTER_REQUEST, request);
            hint.set(TypeCheckHint.SPRING_REQUEST_FILTER_RESPONSE, response);
            scopes.addBreadcrumb(Breadcrumb.http(request.getRequestURI(), request.getMethod()), hint);
            configureScope(scopes, inFlight);
            chain.doFilter(request, response);
        } finally {
            inFlight.end();
        }
    }

    private static void configureScope(IScopes scopes, InFlightRequest inFlight) {
        try {
            scopes.configureScope((scope) -> {
                scope.addEventProcessor(inFlight.requestProcessor());
                scope.addEventProcessor(inFlight.transactionNameProcessor());
            });
        } catch (Throwable ex) {
            scopes.getOptions().getLogger().log(SentryLevel.ERROR, "Failed to set scope for HTTP request", ex);
        }
    }
}
