package io.sightline.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** Injected failures are real 500s, counted by the starter; bad ratios stop start-up. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "management.server.port=0",
            "management.server.address=127.0.0.1",
            "demo.failure-ratio=1.0",
            "demo.slow-ratio=0"
        })
class ChaosTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @Value("${local.management.port}")
    int managementPort;

    @Test
    void failingRequestsAreCountedByExceptionClass() throws Exception {
        assertThat(get(this.port, "/api/users/erin/links").statusCode()).isEqualTo(500);
        assertThat(get(this.managementPort, "/actuator/prometheus").body())
                .contains(
                        "sightline_exceptions_total{application=\"demo-service\",exception=\"SimulatedFailureException\"} 1");
    }

    @Test
    void ratiosOutsideZeroToOneStopStartUp() {
        assertThatException()
                .isThrownBy(() -> SpringApplication.run(
                        DemoApplication.class,
                        "--server.port=0",
                        "--management.server.port=0",
                        "--demo.failure-ratio=1.5"))
                .withStackTraceContaining("demo.failure-ratio");
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return this.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
