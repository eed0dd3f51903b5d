package io.sightline.telemetry.errors;

import java.util.List;
import java.util.Map;

import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.SentryEvent;
import io.sentry.SpanContext;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryException;
import io.sightline.telemetry.masking.Masker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SentryEventPreparerTest {

    private static final String TRACE_FROM_MDC = "11112222333344445555666677778888";

    @Test
    void everyFreeTextPartIsMaskedAndTheEventTagged() {
        SentryEvent event = new SentryEvent();
        Message message = new Message();
        message.setFormatted("login failed for bob, password=hunter2");
        event.setMessage(message);
        SentryException exception = new SentryException();
        exception.setValue("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9abcdef");
        event.setExceptions(List.of(exception));
        Request request = new Request();
        request.setHeaders(Map.of("Authorization", "Basic dXNlcjpwYXNz", "Accept", "application/json"));
        request.setQueryString("page=2&api_key=abc123def");
        event.setRequest(request);
        event.addBreadcrumb(new Breadcrumb("connecting with jdbc:postgresql://db/app?password=pw123456"));
        event.setExtra("session", "f00dcafe");
        event.getContexts().put(SentryEventPreparer.MDC_CONTEXT, Map.of("traceId", TRACE_FROM_MDC, "token", "t0k3n"));

        SentryEvent prepared =
                new SentryEventPreparer("orders", () -> null, Masker.defaults()).execute(event, new Hint());

        assertThat(prepared.getTag("service_name")).isEqualTo("orders");
        assertThat(prepared.getTag("trace_id")).isEqualTo(TRACE_FROM_MDC);
        assertThat(prepared.getMessage().getFormatted()).isEqualTo("login failed for bob, password=****");
        assertThat(prepared.getExceptions().get(0).getValue()).doesNotContain("eyJhbGciOiJIUzI1NiJ9abcdef");
        assertThat(prepared.getRequest().getHeaders())
                .containsEntry("Authorization", Masker.MASK)
                .containsEntry("Accept", "application/json");
        assertThat(prepared.getRequest().getQueryString()).isEqualTo("page=2&api_key=****");
        assertThat(prepared.getBreadcrumbs().get(0).getMessage()).doesNotContain("pw123456");
        assertThat(prepared.getExtra("session")).isEqualTo(Masker.MASK);
        assertThat(prepared.getContexts().get(SentryEventPreparer.MDC_CONTEXT))
                .isEqualTo(Map.of("token", Masker.MASK, "traceId", TRACE_FROM_MDC));
    }

    @Test
    void theActiveSpanWinsOverTheMdc() {
        SentryEvent event = new SentryEvent();
        event.getContexts().put(SentryEventPreparer.MDC_CONTEXT, Map.of("traceId", TRACE_FROM_MDC));
        String active = "aaaabbbbccccddddeeeeffff00001111";
        assertThat(new SentryEventPreparer(
                                "orders",
                                () -> new SentryEventPreparer.ActiveSpan(active, "00f067aa0ba902b7"),
                                Masker.defaults())
                        .execute(event, new Hint())
                        .getTag("trace_id"))
                .isEqualTo(active);
    }

    @Test
    void theActiveSpanBecomesTheEventsSentryTraceAndWithoutOneSentrysStays() {
        SentryEvent event = new SentryEvent();
        String active = "aaaabbbbccccddddeeeeffff00001111";
        SpanContext linked = new SentryEventPreparer(
                        "orders",
                        () -> new SentryEventPreparer.ActiveSpan(active, "00f067aa0ba902b7"),
                        Masker.defaults())
                .linkToActiveTrace(event)
                .getContexts()
                .getTrace();
        assertThat(linked.getTraceId()).hasToString(active);
        assertThat(linked.getSpanId()).hasToString("00f067aa0ba902b7");

        SentryEvent outsideASpan = new SentryEvent();
        SpanContext sentrys = new SpanContext("default");
        outsideASpan.getContexts().setTrace(sentrys);
        assertThat(new SentryEventPreparer("orders", () -> null, Masker.defaults())
                        .linkToActiveTrace(outsideASpan)
                        .getContexts()
                        .getTrace())
                .isSameAs(sentrys);
    }
}
