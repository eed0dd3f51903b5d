package io.sightline.telemetry.errors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import ch.qos.logback.classic.spi.ThrowableProxy;
import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.SentryBaseEvent;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.SpanContext;
import io.sentry.SpanId;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryException;
import io.sentry.protocol.SentryId;
import io.sightline.telemetry.logging.StackHashJsonProvider;
import io.sightline.telemetry.masking.Masker;

/**
 * Last step before an event is queued for Sentry (it runs on the thread that reported the
 * error, so the active span is still current): tags the event with {@code trace_id},
 * {@code service_name} and, for an exception, {@code stack_hash} — the same names and values the JSON logs
 * carry, so an error on the dashboards can be found in the tracker by its hash — and masks every free-text part the
 * way the logs are masked (telemetry contract section 6). {@link SentryMasking} runs it after the
 * application's own {@code BeforeSendCallback}.
 */
class SentryEventPreparer implements SentryOptions.BeforeSendCallback {

    static final String MDC_CONTEXT = "MDC";

    private final String serviceName;

    private final Supplier<ActiveSpan> activeSpan;

    private final Masker masker;

    SentryEventPreparer(String serviceName, Supplier<ActiveSpan> activeSpan, Masker masker) {
        this.serviceName = serviceName;
        this.activeSpan = activeSpan;
        this.masker = masker;
    }

    @Override
    public SentryEvent execute(SentryEvent event, Hint hint) {
        event.setTag("service_name", this.serviceName);
        String traceId = traceId(event);
        if (traceId != null) {
            event.setTag("trace_id", traceId);
        }
        if (event.getThrowable() != null) {
            event.setTag("stack_hash", StackHashJsonProvider.hash(new ThrowableProxy(event.getThrowable())));
        }
        maskMessage(event.getMessage());
        maskExceptions(event.getExceptions());
        maskRequest(event.getRequest());
        maskBreadcrumbs(event.getBreadcrumbs());
        maskValues(event.getTags());
        maskValues(event.getExtras());
        if (event.getContexts().get(MDC_CONTEXT) instanceof Map<?, ?> mdc) {
            event.getContexts().put(MDC_CONTEXT, maskedCopy(mdc));
        }
        return event;
    }

    /**
     * Makes the active span's trace the event's Sentry trace, while Sentry's own tracing is off (see
     * {@link SentryRequestFilters}): Sentry then links the errors of one request, and of one distributed trace,
     * as the logs and spans do, instead of every error of a thread's scope sharing one trace.
     * @param event an event about to be sent
     * @return the same event
     */
    SentryEvent linkToActiveTrace(SentryEvent event) {
        ActiveSpan span = this.activeSpan.get();
        if (span != null) {
            event.getContexts()
                    .setTrace(new SpanContext(
                            new SentryId(span.traceId()), new SpanId(span.spanId()), "default", null, null));
        }
        return event;
    }

    /** The active span's trace id, else the one the logging event carried in its MDC. */
    private String traceId(SentryEvent event) {
        ActiveSpan span = this.activeSpan.get();
        if (span != null) {
            return span.traceId();
        }
        if (event.getContexts().get(MDC_CONTEXT) instanceof Map<?, ?> mdc && mdc.get("traceId") instanceof String id) {
            return id;
        }
        return null;
    }

    private void maskMessage(Message message) {
        if (message != null) {
            message.setMessage(mask(message.getMessage()));
            message.setFormatted(mask(message.getFormatted()));
            // The raw arguments: the masked formatted message already shows them, a secret among them would not be.
            message.setParams(null);
        }
    }

    private void maskExceptions(List<SentryException> exceptions) {
        if (exceptions != null) {
            exceptions.forEach((exception) -> exception.setValue(mask(exception.getValue())));
        }
    }

    private void maskRequest(Request request) {
        if (request == null) {
            return;
        }
        request.setUrl(mask(request.getUrl()));
        request.setQueryString(mask(request.getQueryString()));
        if (request.getHeaders() != null) {
            request.setHeaders(maskedCopy(request.getHeaders()));
        }
        if (request.getCookies() != null) {
            request.setCookies(this.masker.maskValue("cookie", request.getCookies()));
        }
        if (request.getData() instanceof String data) {
            request.setData(mask(data));
        }
    }

    private void maskBreadcrumbs(List<Breadcrumb> breadcrumbs) {
        if (breadcrumbs == null) {
            return;
        }
        breadcrumbs.forEach(this::maskBreadcrumb);
    }

    /**
     * Masks the breadcrumbs an event or transaction carries.
     * @param event an event or transaction about to be sent
     * @return the same event
     */
    <T extends SentryBaseEvent> T maskBreadcrumbs(T event) {
        maskBreadcrumbs(event.getBreadcrumbs());
        return event;
    }

    private void maskBreadcrumb(Breadcrumb breadcrumb) {
        breadcrumb.setMessage(mask(breadcrumb.getMessage()));
        maskValues(breadcrumb.getData());
    }

    private <V> void maskValues(Map<String, V> values) {
        if (values == null) {
            return;
        }
        for (Map.Entry<String, V> entry : values.entrySet()) {
            if (entry.getValue() instanceof String text) {
                @SuppressWarnings("unchecked")
                V masked = (V) this.masker.maskValue(entry.getKey(), text);
                entry.setValue(masked);
            }
        }
    }

    private Map<String, String> maskedCopy(Map<?, ?> values) {
        Map<String, String> masked = new LinkedHashMap<>();
        values.forEach((key, value) -> masked.put(
                String.valueOf(key),
                (value != null) ? this.masker.maskValue(String.valueOf(key), String.valueOf(value)) : null));
        return masked;
    }

    private String mask(String text) {
        return (text != null) ? this.masker.mask(text) : null;
    }

    /** The ids of the span active on the reporting thread (OpenTelemetry's, through Micrometer Tracing). */
    record ActiveSpan(String traceId, String spanId) {}
}
