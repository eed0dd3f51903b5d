package io.sightline.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo as it runs: real ports on 127.0.0.1, the links API on the application port, JSON logs
 * on the console, metrics on the management port only.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "management.server.port=0",
            "management.server.address=127.0.0.1",
            "sightline.logging.format=json",
            "demo.slow-ratio=0",
            "demo.failure-ratio=0"
        })
@ExtendWith(OutputCaptureExtension.class)
class DemoServiceTest {

    private static final JsonMapper json = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Value("${local.server.port}")
    int port;

    @Value("${local.management.port}")
    int managementPort;

    @Test
    void linksCanBeAddedListedAndDeleted() throws Exception {
        HttpResponse<String> created = send(
                "POST",
                this.port,
                "/api/users/alice/links",
                "{\"url\":\"https://example.org/sre\",\"title\":\"SRE book\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        long id = json.readTree(created.body()).get("id").asLong();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/users/alice/links/" + id);

        JsonNode listed = json.readTree(
                send("GET", this.port, "/api/users/alice/links", null).body());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("title").asString()).isEqualTo("SRE book");
        assertThat(json.readTree(
                        send("GET", this.port, "/api/users/bob/links", null).body()))
                .isEmpty();

        assertThat(send("POST", this.port, "/api/users/alice/links", "{\"url\":\"ftp://x\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(send("DELETE", this.port, "/api/users/alice/links/" + id, null)
                        .statusCode())
                .isEqualTo(204);
        assertThat(send("DELETE", this.port, "/api/users/alice/links/" + id, null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(json.readTree(
                        send("GET", this.port, "/api/users/alice/links", null).body()))
                .isEmpty();
    }

    @Test
    void eachRequestLogsOneJsonLineWithTheTrace(CapturedOutput output) throws Exception {
        assertThat(send("GET", this.port, "/api/users/carol/links", null).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> requestLine(output, "/api/users/carol/links").isPresent());
        JsonNode line = requestLine(output, "/api/users/carol/links").orElseThrow();
        assertThat(line.get("level").asString()).isEqualTo("INFO");
        assertThat(line.get("service_name").asString()).isEqualTo("demo-service");
        assertThat(line.get("message").asString())
                .isEqualTo("GET /api/users/carol/links -> 200 in "
                        + line.get("duration_ms").asLong() + " ms");
        assertThat(line.get("http_status").asInt()).isEqualTo(200);
        assertThat(line.get("trace_id").asString()).matches("[0-9a-f]{32}");
    }

    @Test
    void metricsAreOnTheManagementPortOnly() throws Exception {
        send("GET", this.port, "/api/users/dave/links", null);
        HttpResponse<String> scrape = send("GET", this.managementPort, "/actuator/prometheus", null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .contains("sightline_build_info{application=\"demo-service\",version=\"")
                .contains("http_server_requests_seconds_bucket{application=\"demo-service\"")
                .contains("uri=\"/api/users/{user}/links\"");
        assertThat(send("GET", this.port, "/actuator/prometheus", null).statusCode())
                .isEqualTo(404);
        assertThat(send("GET", this.managementPort, "/actuator/health/readiness", null)
                        .statusCode())
                .isEqualTo(200);
    }

    private static Optional<JsonNode> requestLine(CapturedOutput output, String path) {
        return output.getOut()
                .lines()
                .filter((line) -> line.startsWith("{") && line.contains("\"http_path\":\"" + path + "\""))
                .map(json::readTree)
                .findFirst();
    }

    private HttpResponse<String> send(String method, int port, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        (body != null)
                                ? HttpRequest.BodyPublishers.ofString(body)
                                : HttpRequest.BodyPublishers.noBody());
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
