package io.sightline.telemetry.errors;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryLogEvent;
import io.sentry.SentryLogEventAttributeValue;
import io.sentry.SentryOptions;
import io.sentry.protocol.SentryTransaction;
import io.sightline.telemetry.masking.Masker;

/**
 * Puts the starter's work last on every path out of Sentry: events ({@link SentryEventPreparer}: tags and
 * masking, breadcrumbs included), the breadcrumbs of transactions, and Sentry Logs (masking). Breadcrumbs are
 * masked when they leave, not when recorded (one per log line, on the request thread). The application's own
 * callbacks (Sentry's Spring Boot integration installs a {@code BeforeSendCallback},
 * {@code BeforeSendTransactionCallback} or {@code BeforeSendLogCallback} bean) run first, so masking also covers what they add; one that drops
 * an item ({@code null}) still drops it.
 * <p>
 * Runs as Sentry options configuration after Sentry's own (the errors auto-configuration is ordered
 * after Sentry's), on the thread that reports: Sentry reads the request's scope there.
 */
final class SentryMasking implements Sentry.OptionsConfiguration<SentryOptions> {

    /** Prefix of the attributes that carry a log message's arguments one by one. */
    static final String MESSAGE_PARAMETER = "sentry.message.parameter.";

    private final SentryEventPreparer events;

    private final Masker masker;

    SentryMasking(SentryEventPreparer events, Masker masker) {
        this.events = events;
        this.masker = masker;
    }

    @Override
    public void configure(SentryOptions options) {
        SentryOptions.BeforeSendCallback beforeSend = options.getBeforeSend();
        // Sentry's own tracing, when a user turns it on, gives events the trace of its transaction.
        boolean openTelemetryTrace = !options.isTracingEnabled();
        options.setBeforeSend((event, hint) -> {
            SentryEvent kept = (beforeSend != null) ? beforeSend.execute(event, hint) : event;
            if (kept == null) {
                return null;
            }
            return this.events.execute(openTelemetryTrace ? this.events.linkToActiveTrace(kept) : kept, hint);
        });
        // Breadcrumbs are not masked when recorded: Sentry's logback appender records one for every log line, on the
        // request thread. They leave the process only inside events (masked above) and transactions (masked here).
        SentryOptions.BeforeSendTransactionCallback beforeSendTransaction = options.getBeforeSendTransaction();
        options.setBeforeSendTransaction((transaction, hint) -> {
            SentryTransaction kept =
                    (beforeSendTransaction != null) ? beforeSendTransaction.execute(transaction, hint) : transaction;
            return (kept != null) ? this.events.maskBreadcrumbs(kept) : null;
        });
        SentryOptions.Logs.BeforeSendLogCallback beforeSendLog =
                options.getLogs().getBeforeSend();
        options.getLogs().setBeforeSend(log -> {
            SentryLogEvent kept = (beforeSendLog != null) ? beforeSendLog.execute(log) : log;
            return (kept != null) ? mask(kept) : null;
        });
    }

    SentryLogEvent mask(SentryLogEvent log) {
        if (log.getBody() != null) {
            log.setBody(this.masker.mask(log.getBody()));
        }
        Map<String, SentryLogEventAttributeValue> attributes = log.getAttributes();
        if (attributes != null) {
            Map<String, SentryLogEventAttributeValue> masked = new LinkedHashMap<>(attributes);
            // The raw arguments of the message: the masked body already shows them, a secret among them would not be.
            masked.keySet().removeIf(key -> key.startsWith(MESSAGE_PARAMETER));
            masked.replaceAll((key, attribute) -> (attribute != null && attribute.getValue() instanceof String text)
                    ? new SentryLogEventAttributeValue(attribute.getType(), this.masker.maskValue(key, text))
                    : attribute);
            log.setAttributes(masked);
        }
        return log;
    }
}
