package io.sightline.k8s.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.prometheus.AlertmanagerServer;
import io.sightline.testsupport.tool.Tool;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Alertmanager (Debian's 0.25; the image is 0.27, and the configuration uses nothing 0.25 lacks) on
 * 127.0.0.1, started as the StatefulSet starts it: the configuration written by the init container from the user's
 * overlay of the guide (its external URLs), the Secret's keys pointing at an HTTP server of this test that stands in
 * for Slack and for the dead man's switch. Alerts are posted to Alertmanager's API as Prometheus would.
 */
class AlertmanagerDeliveryTest {

    @TempDir
    static Path dir;

    static HttpServer receiver;
    static final List<Received> received = new CopyOnWriteArrayList<>();
    static AlertmanagerServer alertmanager;
    static URI api;
    static String externalUrl;

    record Received(String path, String query, String body) {}

    @BeforeAll
    static void startAlertmanagerAsThePodDoes() throws Exception {
        Tool.ALERTMANAGER.require();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(new Received(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        receiver.start();
        String here = "http://127.0.0.1:" + receiver.getAddress().getPort();

        AlertmanagerSetup setup = new AlertmanagerSetup(dir, ModuleFiles.RENAMED_NAMESPACE_FIXTURE);
        setup.secretKey("slack-webhook-url", here + "/slack");
        setup.secretKey("pagerduty-routing-key", "not-used-here");
        setup.secretKey(setup.heartbeatKey(), here + "/ping/sightline?source=alertmanager&x=1");
        setup.render().assertSuccess();
        externalUrl = setup.alertmanagerEnv("EXTERNAL_URL");

        alertmanager = AlertmanagerServer.start(
                dir,
                setup.renderedConfig(),
                List.of(
                        "--web.external-url=" + externalUrl,
                        "--web.route-prefix=" + setup.alertmanagerArg("--web.route-prefix")));
        api = alertmanager.url();

        // as Prometheus sends them: the Watchdog, a namespace whose image pulls fail (and so back off), another
        // namespace that only crash-loops
        post(List.of(
                alert(Map.of("alertname", "Watchdog", "severity", "none")),
                alert(Map.of("alertname", "KubeImagePullFailing", "severity", "warning", "namespace", "shop")),
                alert(Map.of("alertname", "KubePodCrashLooping", "severity", "warning", "namespace", "shop")),
                alert(Map.of("alertname", "KubePodCrashLooping", "severity", "warning", "namespace", "billing"))));
    }

    @AfterAll
    static void stop() {
        if (alertmanager != null) {
            alertmanager.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    /** The heartbeat reaches the URL of the Secret, query string intact, with the overlay's external URL. */
    @Test
    void watchdogHeartbeatReachesTheDeadMansSwitch() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(received)
                .filteredOn(r -> r.path().equals("/ping/sightline"))
                .first()
                .satisfies(ping -> {
                    assertThat(ping.query()).isEqualTo("source=alertmanager&x=1");
                    Map<String, Object> payload = Yaml.load(ping.body());
                    assertThat(payload).containsEntry("receiver", "watchdog").containsEntry("externalURL", externalUrl);
                    assertThat(Yaml.text(payload, "alerts", "0", "labels", "alertname"))
                            .isEqualTo("Watchdog");
                }));
        assertThat(externalUrl).isEqualTo("https://alertmanager.example.com");
    }

    /** Where an image cannot be pulled, its back-offs raise KubePodCrashLooping too: only the pull alert is sent. */
    @Test
    void imagePullFailureInhibitsTheCrashLoopOfItsNamespace() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, List<Object>> inhibitedBy = new TreeMap<>();
            for (Map<String, Object> alert : jsonList(get("/api/v2/alerts").body())) {
                inhibitedBy.put(
                        Yaml.text(alert, "labels", "alertname") + "/" + Yaml.text(alert, "labels", "namespace"),
                        Yaml.list(alert, "status", "inhibitedBy"));
            }
            assertThat(inhibitedBy)
                    .containsOnlyKeys(
                            "KubeImagePullFailing/shop",
                            "KubePodCrashLooping/shop",
                            "KubePodCrashLooping/billing",
                            "Watchdog/null");
            assertThat(inhibitedBy.get("KubePodCrashLooping/shop")).isNotEmpty();
            assertThat(inhibitedBy.get("KubePodCrashLooping/billing")).isEmpty();
            assertThat(inhibitedBy.get("KubeImagePullFailing/shop")).isEmpty();
        });
    }

    /**
     * The chat message names the alert, its runbook and its source graph (Prometheus' link, at the external URL);
     * the inhibited crash loop of the same namespace is not sent. Warnings wait for group_wait (30 s).
     */
    @Test
    void chatMessagesLinkToRunbookAndSource() {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(slackTexts())
                .anySatisfy(text -> assertThat(text)
                        .contains(
                                "KubeImagePullFailing in shop",
                                "runbook: https://runbooks.example.com/KubeImagePullFailing")
                        .contains("source: https://prometheus.example.com/graph?g0.expr=KubeImagePullFailing"))
                .anySatisfy(text -> assertThat(text).contains("KubePodCrashLooping in billing")));
        assertThat(slackTexts()).noneSatisfy(text -> assertThat(text).contains("KubePodCrashLooping in shop"));
    }

    private static List<String> slackTexts() {
        return received.stream()
                .filter(r -> r.path().equals("/slack"))
                .map(r -> Yaml.text(Yaml.load(r.body()), "attachments", "0", "text"))
                .toList();
    }

    private static Map<String, Object> alert(Map<String, String> labels) {
        String name = labels.get("alertname");
        return Map.of(
                "labels",
                labels,
                "annotations",
                Map.of(
                        "summary", name + " in " + labels.getOrDefault("namespace", "the cluster"),
                        "runbook_url", "https://runbooks.example.com/" + name),
                "startsAt",
                Instant.now().toString(),
                "generatorURL",
                "https://prometheus.example.com/graph?g0.expr=" + name);
    }

    private static void post(List<Map<String, Object>> alerts) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(api.resolve("/api/v2/alerts"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json(alerts)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(api.resolve(path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** JSON is YAML's flow style: the dumper writes it when told to (strings double-quoted). */
    private static String json(Object value) {
        return new Dump(DumpSettings.builder()
                        .setDefaultFlowStyle(FlowStyle.FLOW)
                        .setDefaultScalarStyle(ScalarStyle.DOUBLE_QUOTED)
                        .setWidth(Integer.MAX_VALUE)
                        .build())
                .dumpToString(value);
    }

    /** A JSON array of objects (JSON is YAML). */
    private static List<Map<String, Object>> jsonList(String json) {
        return Yaml.maps(Map.of("list", new Load(LoadSettings.builder().build()).loadFromString(json)), "list");
    }
}
