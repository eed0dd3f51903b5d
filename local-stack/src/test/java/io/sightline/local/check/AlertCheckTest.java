package io.sightline.local.check;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sightline.local.alerts.AlertWebhookReceiver;
import io.sightline.testsupport.prometheus.PrometheusApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which delivered alerts count as caused by the failure burst (webhook payloads as Alertmanager 0.25 sends them). */
class AlertCheckTest {

    private static final Instant BURST = Instant.parse("2026-11-27T12:00:20Z");
    private static final Map<String, String> WATCHDOG = Map.of("alertname", "Watchdog", "severity", "none");
    private static final Map<String, String> BUDGET_BURN = Map.of(
            "alertname",
            "ServiceAvailabilityBudgetBurn",
            "namespace",
            "demo",
            "application",
            "demo-service",
            "severity",
            "critical");

    private AlertWebhookReceiver webhook;

    @BeforeEach
    void start() throws IOException {
        webhook = new AlertWebhookReceiver();
    }

    @AfterEach
    void stop() {
        webhook.close();
    }

    @Test
    void creditsAnAlertOfTheNamespaceThatStartedFiringAfterTheBurstAndWasNotFiringBefore() throws Exception {
        deliver(WATCHDOG, "2026-11-27T12:00:30Z");
        deliver(BUDGET_BURN, "2026-11-27T12:00:41.5Z");

        CheckReport report = new CheckReport();
        new AlertCheck(webhook).run(report, "demo", BURST, new AlertBaseline(Set.of()), Duration.ZERO);

        assertThat(report.allPassed()).as(report.render()).isTrue();
        assertThat(report.stages().get(0).detail()).endsWith(": ServiceAvailabilityBudgetBurn");
    }

    @Test
    void alertsOutsideTheNamespaceOrFiringBeforeTheBurstDoNotCount() throws Exception {
        deliver(WATCHDOG, "2026-11-27T12:00:30Z");
        deliver(BUDGET_BURN, "2026-11-27T12:00:05Z");

        CheckReport report = new CheckReport();
        new AlertCheck(webhook).run(report, "demo", BURST, new AlertBaseline(Set.of()), Duration.ZERO);

        assertThat(report.allPassed()).isFalse();
        assertThat(report.stages().get(0).detail())
                .contains("Watchdog(firing)", "ServiceAvailabilityBudgetBurn(firing)");
    }

    @Test
    void anAlertFiringAtTheStartOfTheBurstDoesNotCount() throws Exception {
        // its labels were in ALERTS{alertstate="firing"} at the burst start, whatever startsAt a notification carries
        deliver(BUDGET_BURN, "2026-11-27T12:00:25Z");

        CheckReport report = new CheckReport();
        new AlertCheck(webhook).run(report, "demo", BURST, new AlertBaseline(Set.of(BUDGET_BURN)), Duration.ZERO);

        assertThat(report.allPassed()).isFalse();
    }

    @Test
    void failsWithTheReasonWhenNoBaselineWasCaptured() {
        CheckReport report = new CheckReport();
        new AlertCheck(webhook).run(report, "demo", BURST, new AlertBaseline(), Duration.ZERO);

        assertThat(report.allPassed()).isFalse();
        assertThat(report.stages().get(0).detail()).contains("not captured");
    }

    @Test
    void baselineDropsTheSeriesOnlyLabelsOfAlerts() {
        Map<String, String> series = new java.util.HashMap<>(WATCHDOG);
        series.put("__name__", "ALERTS");
        series.put("alertstate", "pending");

        assertThat(AlertBaseline.labelSets(List.of(new PrometheusApi.Sample(series, 1))))
                .containsExactly(WATCHDOG);
    }

    private void deliver(Map<String, String> labels, String startsAt) throws Exception {
        StringBuilder labelJson = new StringBuilder();
        labels.forEach((k, v) -> labelJson
                .append(labelJson.length() == 0 ? "" : ",")
                .append('"')
                .append(k)
                .append("\":\"")
                .append(v)
                .append('"'));
        String payload =
                "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"sightline-local-launcher\",\"alerts\":[{\"status\":\"firing\","
                        + "\"labels\":{" + labelJson + "},\"annotations\":{},\"startsAt\":\"" + startsAt + "\","
                        + "\"endsAt\":\"0001-01-01T00:00:00Z\",\"fingerprint\":\"" + labels.get("alertname") + "\"}]}";
        HttpResponse<Void> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(webhook.url())
                                .POST(HttpRequest.BodyPublishers.ofString(payload))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
