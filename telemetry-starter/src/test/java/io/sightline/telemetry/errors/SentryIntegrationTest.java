package io.sightline.telemetry.errors;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sentry.IScopes;
import io.sentry.Sentry;
import io.sentry.SentryOptions;
import io.sightline.telemetry.masking.Masker;
import io.sightline.telemetry.support.LocalHttpReceiver;
import io.sightline.telemetry.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.sightline.telemetry.errors.SentryApps.events;
import static io.sightline.telemetry.errors.SentryApps.reportingTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sentry against real HTTP servers on 127.0.0.1: one that accepts envelopes (decoded here as the
 * Sentry server would), and one that accepts connections and never answers.
 */
@ExtendWith(OutputCaptureExtension.class)
class SentryIntegrationTest {

    private static final String TRACE_ID = "8f3c7b1e2d4a4f6b9c0d1e2f3a4b5c6d";

    @Test
    void eventsCarryTraceServiceEnvironmentReleaseAndAreMasked(CapturedOutput output) throws IOException {
        try (LocalHttpReceiver sentry = new LocalHttpReceiver();
                RunningApp app = reportingTo(
                        sentry, App.class, "sightline.errors.environment=staging", "sightline.logging.format=json")) {
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
            // the tracker's issue and the log line of the same error share the stack hash
            await().atMost(Duration.ofSeconds(15)).until(() -> stackHashLogged(output) != null);
            assertThat(event.path("tags").path("stack_hash").asString())
                    .matches("[0-9a-f]{8}")
                    .isEqualTo(stackHashLogged(output));
        }
    }

    /** The {@code stack_hash} of the JSON log line reporting the failed payment, or null before it is written. */
    private static String stackHashLogged(CapturedOutput output) {
        return output.getOut()
                .lines()
                .filter(line -> line.startsWith("{") && line.contains("Payment failed"))
                .map(line ->
                        JsonMapper.shared().readTree(line).path("stack_hash").asString(null))
                .findFirst()
                .orElse(null);
    }

    /** Before, the starter's own BeforeSendCallback bean made Sentry's lookup ambiguous: the start-up failed. */
    @Test
    void theApplicationsBeforeSendCallbackRunsAndMaskingStillApplies() throws IOException {
        try (LocalHttpReceiver sentry = new LocalHttpReceiver();
                RunningApp app = reportingTo(sentry, UserCallbackApp.class)) {
            assertThat(app.get("/report").statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(15)).until(() -> !events(sentry).isEmpty());
            JsonNode event = events(sentry).get(0);
            assertThat(event.path("tags").path("team").asString()).isEqualTo("payments");
            assertThat(event.path("tags").path("service_name").asString()).isEqualTo("starter-test");
            assertThat(event.path("extra").path("note").asString()).isEqualTo("token=****");
            assertThat(event.toString()).doesNotContain("hunter2").doesNotContain("n0te-s3cret");
        }
    }

    /**
     * Sentry Logs (log items sent by Sentry's logback appender) and breadcrumbs (earlier log lines of the
     * request) are masked like events. Before, log items went out as logged.
     */
    @Test
    void sentryLogsAndBreadcrumbsAreMaskedLikeEvents() throws IOException {
        try (LocalHttpReceiver sentry = new LocalHttpReceiver();
                RunningApp app = reportingTo(
                        sentry,
                        App.class,
                        "sentry.logs.enabled=true",
                        "sentry.logging.minimum-breadcrumb-level=info")) {
            assertThat(app.get("/report").statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> !events(sentry).isEmpty() && !logs(sentry).isEmpty());
            assertThat(logs(sentry))
                    .extracting(log -> log.path("body").asString())
                    .anySatisfy(body -> assertThat(body).isEqualTo("Calling the gateway with api_key=****"));
            JsonNode breadcrumbs = events(sentry).get(0).path("breadcrumbs");
            assertThat(breadcrumbs.toString()).contains("api_key=****");
            assertThat(sentry.received())
                    .allSatisfy(request -> assertThat(new String(request.body(), StandardCharsets.UTF_8))
                            .doesNotContain("hunter2")
                            .doesNotContain("gw-k3y")
                            .doesNotContain("s3cr3t-t0ken"));
        }
    }

    /** The application's own Masker replaces the starter's for logs and Sentry alike. */
    @Test
    void theApplicationsMaskerIsUsedForLogsAndSentry(CapturedOutput output) throws IOException {
        try (LocalHttpReceiver sentry = new LocalHttpReceiver();
                RunningApp app = reportingTo(sentry, OwnMaskerApp.class, "sightline.logging.format=json")) {
            assertThat(app.get("/report").statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(15)).until(() -> !events(sentry).isEmpty());
            assertThat(events(sentry).get(0).path("message").path("formatted").asString())
                    .isEqualTo("Payment failed for order [order]");
            await().until(() -> output.getOut().contains("Payment failed for order"));
            assertThat(output.getOut()).contains("\"message\":\"Payment failed for order [order]\"");
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

    private static List<JsonNode> logs(LocalHttpReceiver sentry) {
        List<JsonNode> logs = new ArrayList<>();
        sentry.received().stream()
                .flatMap(request -> SentryEnvelopes.items(request.body()).stream())
                .filter(item -> "log".equals(item.header().path("type").asString()))
                .forEach(item -> item.payload().path("items").forEach(logs::add));
        return logs;
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

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Endpoints.class)
    static class UserCallbackApp {

        @Bean
        SentryOptions.BeforeSendCallback teamTagger() {
            return (event, hint) -> {
                event.setTag("team", "payments");
                event.setExtra("note", "token=n0te-s3cret");
                return event;
            };
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Endpoints.class)
    static class OwnMaskerApp {

        /** Masks every message after "order" (and nothing else): clearly not the starter's rules. */
        @Bean
        Masker orderMasker() {
            return new Masker() {
                @Override
                public String mask(String text) {
                    int order = text.indexOf("order ");
                    return (order < 0) ? text : text.substring(0, order + 6) + "[order]";
                }

                @Override
                public boolean isSensitiveKey(String key) {
                    return false;
                }
            };
        }
    }

    @RestController
    static class Endpoints {

        private static final Logger logger = LoggerFactory.getLogger(Endpoints.class);

        @GetMapping("/report")
        String report() {
            logger.info("Calling the gateway with api_key={}", "gw-k3y");
            logger.error(
                    "Payment failed for order {}, password={}",
                    17,
                    "hunter2",
                    new IllegalStateException("gateway refused token=s3cr3t-t0ken"));
            return "reported";
        }
    }
}
