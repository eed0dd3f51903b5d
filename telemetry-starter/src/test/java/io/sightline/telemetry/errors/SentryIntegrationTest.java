package io.sightline.telemetry.errors;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sentry.IScopes;
import io.sentry.Sentry;
import io.sightline.telemetry.support.LocalHttpReceiver;
import io.sightline.telemetry.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sentry against real HTTP servers on 127.0.0.1: one that accepts envelopes (decoded here as the
 * Sentry server would), and one that accepts connections and never answers.
 */
class SentryIntegrationTest {

    private static final String TRACE_ID = "8f3c7b1e2d4a4f6b9c0d1e2f3a4b5c6d";

    @Test
    void eventsCarryTraceServiceEnvironmentReleaseAndAreMasked() throws IOException {
        try (LocalHttpReceiver sentry = new LocalHttpReceiver();
                RunningApp app = RunningApp.start(
                        App.class,
                        WebApplicationType.SERVLET,
                        "sightline.errors.sentry.dsn=http://publickey@127.0.0.1:" + sentry.port() + "/42",
                        "sightline.errors.environment=staging")) {
            assertThat(app.get("/report", "traceparent", RunningApp.traceparent(TRACE_ID))
                            .statusCode())
                    .isEqualTo(200);

            await().atMost(Duration.ofSeconds(15)).until(() -> !events(sentry).isEmpty());
            assertThat(sentry.received())
                    .allSatisfy((request) -> assertThat(request.path()).isEqualTo("/api/42/envelope/"));
            JsonNode event = events(sentry).get(0);
            assertThat(event.path("tags").path("trace_id").asString()).isEqualTo(TRACE_ID);
            assertThat(event.path("tags").path("service_name").asString()).isEqualTo("starter-test");
            assertThat(event.path("environment").asString()).isEqualTo("staging");
            assertThat(event.path("release").asString()).isEqualTo(RunningApp.BUILD_VERSION);
            String message = event.path("message").path("formatted").asString();
            assertThat(message)
                    .startsWith("Payment failed for order 17")
                    .contains("password=****")
                    .doesNotContain("hunter2");
            JsonNode exception = event.path("exception").path("values").get(0);
            assertThat(exception.path("type").asString()).isEqualTo("IllegalStateException");
            assertThat(exception.path("value").asString()).contains("****").doesNotContain("s3cr3t-t0ken");
            assertThat(event.toString()).doesNotContain("hunter2").doesNotContain("s3cr3t-t0ken");
        }
    }

    @Test
    void aSentryThatNeverAnswersSlowsNeitherRequestsNorShutdown() throws IOException {
        try (HangingServer hanging = new HangingServer()) {
            RunningApp app = RunningApp.start(
                    App.class,
                    WebApplicationType.SERVLET,
                    "sightline.errors.sentry.dsn=http://publickey@127.0.0.1:" + hanging.port() + "/42");
            try {
                for (int i = 0; i < 5; i++) {
                    assertThat(app.get("/report").statusCode()).isEqualTo(200);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> !hanging.connections.isEmpty());
            } finally {
                long start = System.nanoTime();
                app.close();
                Duration shutdown = Duration.ofNanos(System.nanoTime() - start);
                assertThat(shutdown).as("shutdown with a hanging Sentry").isLessThan(Duration.ofSeconds(3));
            }
            assertThat(Sentry.isEnabled()).isFalse();
        }
    }

    @Test
    void withoutADsnNothingOfSentryStarts() {
        try (RunningApp app = RunningApp.start(App.class, WebApplicationType.SERVLET)) {
            assertThat(app.context().getBeanNamesForType(IScopes.class)).isEmpty();
            assertThat(app.get("/report").statusCode()).isEqualTo(200);
            assertThat(Sentry.isEnabled()).isFalse();
        }
    }

    @Test
    void offSwitchWinsOverADsn() throws IOException {
        try (LocalHttpReceiver sentry = new LocalHttpReceiver();
                RunningApp app = RunningApp.start(
                        App.class,
                        WebApplicationType.SERVLET,
                        "sentry.dsn=http://publickey@127.0.0.1:" + sentry.port() + "/42",
                        "sightline.errors.enabled=false")) {
            assertThat(app.get("/report").statusCode()).isEqualTo(200);
            assertThat(Sentry.isEnabled()).isFalse();
            assertThat(app.context().getBeanNamesForType(ErrorsAutoConfiguration.class))
                    .isEmpty();
        }
    }

    private static List<JsonNode> events(LocalHttpReceiver sentry) {
        return sentry.received().stream()
                .flatMap((request) -> SentryEnvelopes.events(request.body()).stream())
                .toList();
    }

    /** Accepts TCP connections on 127.0.0.1 and never reads or answers, like a wedged proxy. */
    static final class HangingServer implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        final List<Socket> connections = new CopyOnWriteArrayList<>();

        private final Thread acceptor = new Thread(this::acceptUntilClosed, "hanging-sentry");

        HangingServer() throws IOException {
            this.acceptor.setDaemon(true);
            this.acceptor.start();
        }

        int port() {
            return this.socket.getLocalPort();
        }

        private void acceptUntilClosed() {
            while (!this.socket.isClosed()) {
                try {
                    this.connections.add(this.socket.accept());
                } catch (IOException ex) {
                    // the server socket was closed: the loop ends
                }
            }
        }

        @Override
        public void close() throws IOException {
            this.socket.close();
            for (Socket connection : this.connections) {
                connection.close();
            }
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Endpoints.class)
    static class App {}

    @RestController
    static class Endpoints {

        private static final Logger logger = LoggerFactory.getLogger(Endpoints.class);

        @GetMapping("/report")
        String report() {
            logger.error(
                    "Payment failed for order 17, password=hunter2",
                    new IllegalStateException("gateway refused token=s3cr3t-t0ken"));
            return "reported";
        }
    }
}
