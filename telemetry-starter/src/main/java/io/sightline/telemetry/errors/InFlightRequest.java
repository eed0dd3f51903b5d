package io.sightline.telemetry.errors;

import io.sentry.EventProcessor;
import io.sentry.Hint;
import io.sentry.SentryBaseEvent;
import io.sentry.SentryEvent;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryTransaction;
import io.sentry.spring7.SentryRequestResolver;
import io.sentry.spring7.tracing.TransactionNameProvider;
import jakarta.servlet.http.HttpServletRequest;

/**
 * One servlet request as Sentry's events see it: its Sentry {@code Request} and transaction name, resolved from
 * the servlet request only while it is in flight. The container recycles the servlet request once it has been
 * answered, and an event can be captured later by a task that carries the request's scopes: from then on events
 * get neither (never another request's), unless the request went asynchronous, whose values are taken as it
 * leaves the filter and kept.
 * <p>
 * Synchronised: events are captured on any thread, and {@link #end()} must not return while one still reads the
 * servlet request.
 */
final class InFlightRequest {

    private final SentryRequestResolver resolver;

    private final TransactionNameProvider transactionNames;

    private HttpServletRequest servletRequest;

    private Request request;

    private String transactionName;

    InFlightRequest(
            HttpServletRequest servletRequest,
            SentryRequestResolver resolver,
            TransactionNameProvider transactionNames) {
        this.servletRequest = servletRequest;
        this.resolver = resolver;
        this.transactionNames = transactionNames;
    }

    /** Sentry's scope request, as the first of the scope's processors: before any other reads the event. */
    EventProcessor requestProcessor() {
        return new EventProcessor() {

            @Override
            public SentryEvent process(SentryEvent event, Hint hint) {
                // Sentry applies the scope's request to every event but user feedback
                return (event.getContexts().getFeedback() != null) ? event : withRequest(event);
            }

            @Override
            public SentryTransaction process(SentryTransaction transaction, Hint hint) {
                return withRequest(transaction);
            }

            @Override
            public Long getOrder() {
                return Long.MIN_VALUE;
            }
        };
    }

    /** Sentry's transaction name, at the order of Sentry's own processor for it. */
    EventProcessor transactionNameProcessor() {
        return new EventProcessor() {

            @Override
            public SentryEvent process(SentryEvent event, Hint hint) {
                if (event.getTransaction() == null) {
                    event.setTransaction(transactionName());
                }
                return event;
            }

            @Override
            public Long getOrder() {
                return 5000L;
            }
        };
    }

    private <T extends SentryBaseEvent> T withRequest(T event) {
        if (event.getRequest() == null) {
            event.setRequest(request());
        }
        return event;
    }

    /** Resolved once, like Sentry's: every event of the request gets the same one. */
    synchronized Request request() {
        if (this.request == null && this.servletRequest != null) {
            this.request = this.resolver.resolveSentryRequest(this.servletRequest);
        }
        return this.request;
    }

    synchronized String transactionName() {
        return (this.servletRequest != null)
                ? this.transactionNames.provideTransactionName(this.servletRequest)
                : this.transactionName;
    }

    /** The filter has returned: the servlet request is read no more. */
    synchronized void end() {
        if (this.servletRequest.isAsyncStarted()) {
            request();
            this.transactionName = transactionName();
        }
        this.servletRequest = null;
    }
}
