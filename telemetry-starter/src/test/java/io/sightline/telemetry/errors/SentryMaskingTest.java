package io.sightline.telemetry.errors;

import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.SentryOptions;
import io.sentry.SentryTracer;
import io.sentry.TransactionContext;
import io.sentry.protocol.SentryTransaction;
import io.sightline.telemetry.masking.Masker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where breadcrumbs are masked: Sentry's logback appender records one per log line on the logging (request)
 * thread, and only events and transactions carry them out of the process, so they are masked there, once
 * per report, not once per log line.
 */
class SentryMaskingTest {

    private static final String SECRET_LINE = "connecting with jdbc:postgresql://db/app?password=pw123456";

    @Test
    void recordingABreadcrumbCostsNoMaskingAndKeepsTheApplicationsCallback() {
        SentryOptions options = new SentryOptions();
        options.setBeforeBreadcrumb((breadcrumb, hint) -> {
            breadcrumb.setCategory("seen-by-the-application");
            return breadcrumb;
        });
        masking().configure(options);

        Breadcrumb recorded = options.getBeforeBreadcrumb().execute(new Breadcrumb(SECRET_LINE), new Hint());

        assertThat(recorded.getMessage()).isEqualTo(SECRET_LINE);
        assertThat(recorded.getCategory()).isEqualTo("seen-by-the-application");
    }

    @Test
    void breadcrumbsLeavingInATransactionAreMasked() {
        SentryOptions options = new SentryOptions();
        options.setDsn("http://key@127.0.0.1:1/1");
        masking().configure(options);
        SentryTransaction transaction = new SentryTransaction(new SentryTracer(
                new TransactionContext("GET /api", "http.server"), io.sentry.NoOpScopes.getInstance()));
        transaction.addBreadcrumb(new Breadcrumb(SECRET_LINE));

        SentryTransaction sent = options.getBeforeSendTransaction().execute(transaction, new Hint());

        assertThat(sent.getBreadcrumbs().get(0).getMessage()).doesNotContain("pw123456");
    }

    private static SentryMasking masking() {
        Masker masker = Masker.defaults();
        return new SentryMasking(new SentryEventPreparer("orders", () -> null, masker), masker);
    }
}
