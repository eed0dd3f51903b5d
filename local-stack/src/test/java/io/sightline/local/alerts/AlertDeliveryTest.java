package io.sightline.local.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.sightline.local.http.JsonHttp;
import io.sightline.local.monitoring.AlertmanagerApi;
import io.sightline.local.monitoring.AlertmanagerConfig;
import io.sightline.testsupport.prometheus.AlertmanagerServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The generated alertmanager.yml, run by the real Alertmanager, delivers an alert to the launcher's webhook. */
class AlertDeliveryTest {

    @TempDir
    Path dir;

    private AlertWebhookReceiver webhook;
    private AlertmanagerServer alertmanager;

    @AfterEach
    void stop() {
        if (alertmanager != null) {
            alertmanager.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    void alertPostedToAlertmanagerReachesTheWebhook() throws Exception {
        webhook = new AlertWebhookReceiver();
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(
                config, new AlertmanagerConfig(webhook.url(), Duration.ofSeconds(1), Duration.ofSeconds(5)).toYaml());
        alertmanager = AlertmanagerServer.start(dir, config);
        HttpClient client = HttpClient.newHttpClient();
        URI base = alertmanager.url();

        String alert =
                "[{\"labels\":{\"alertname\":\"ServiceAvailabilityBudgetBurn\",\"namespace\":\"demo\",\"severity\":\"critical\"},"
                        + "\"startsAt\":\"" + Instant.now() + "\"}]";
        HttpResponse<String> posted = client.send(
                HttpRequest.newBuilder(base.resolve("/api/v2/alerts"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(alert))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> webhook.firing().contains("ServiceAvailabilityBudgetBurn"));
        assertThat(webhook.received()).allSatisfy(a -> assertThat(a.labels()).containsEntry("namespace", "demo"));
        assertThat(webhook.rejectedPayloads()).isZero();
        assertThat(new AlertmanagerApi(new JsonHttp(client), base).alerts())
                .extracting(AlertmanagerApi.Alert::name)
                .contains("ServiceAvailabilityBudgetBurn");
        assertThat(webhook.received().get(0).startsAt()).isNotNull();
    }

    @Test
    void unreadablePayloadIsAnsweredWith400AndCounted() throws IOException {
        webhook = new AlertWebhookReceiver();

        assertThat(post(webhook.url(), "{not json")).isEqualTo(400);
        assertThat(post(webhook.url(), "{\"status\":\"firing\"}")).isEqualTo(400);

        assertThat(webhook.rejectedPayloads()).isEqualTo(2);
        assertThat(webhook.received()).isEmpty();
    }

    static int post(URI url, String body) throws IOException {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(url)
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
