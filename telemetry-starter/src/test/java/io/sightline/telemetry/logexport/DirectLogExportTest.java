package io.sightline.telemetry.logexport;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.sightline.telemetry.logging.DropReason;
import io.sightline.telemetry.support.FakeLokiOtlp;
import io.sightline.telemetry.support.FakeLokiOtlp.Mode;
import io.sightline.telemetry.support.FakeLokiOtlp.Received;
import io.sightline.telemetry.support.RunningApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A real Spring MVC application with the starter exporting its logs through the OpenTelemetry SDK and the
 * OTLP/HTTP exporter Boot builds, to {@link FakeLokiOtlp} (Loki's OTLP endpoint as Loki's distributor answers
 * it): what arrives, what is counted when the endpoint fails or stalls, and what happens on shutdown.
 */
@ExtendWith(OutputCaptureExtension.class)
class DirectLogExportTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FakeLokiOtlp loki;

    @BeforeEach
    void startLoki() throws Exception {
        this.loki = new FakeLokiOtlp();
    }

    @AfterEach
    void stopLoki() {
        this.loki.close();
    }

    @Test
    void exportsTheMaskedContractRecordWithTheIdentityAndTheTrace() {
        try (RunningApp app =
                start("POD_NAMESPACE=shop", "POD_NAME=shop-7d9f-x2x4", "NODE_NAME=node-1", "CONTAINER_NAME=app")) {
            assertThat(app.get("/pay", "traceparent", RunningApp.traceparent(TRACE_ID))
                            .statusCode())
                    .isEqualTo(200);

            Received payment = await().atMost(PATIENCE).until(() -> find("charging card"), r -> r != null);

            Map<String, Object> record = parse(payment.body());
            assertThat(record)
                    .containsEntry("message", "charging card for password=****")
                    .containsEntry("level", "INFO")
                    .containsEntry("logger", Payments.class.getName())
                    .containsEntry("service_name", "starter-test")
                    .containsEntry("service_version", RunningApp.BUILD_VERSION)
                    .containsEntry("trace_id", TRACE_ID)
                    .containsKeys("@timestamp", "thread", "span_id");
            assertThat(payment.body()).doesNotContain("hunter2").doesNotEndWith("\n");
            assertThat(payment.resource())
                    .containsEntry("service.name", "starter-test")
                    .containsEntry("service.version", RunningApp.BUILD_VERSION)
                    .containsEntry("namespace", "shop")
                    .containsEntry("pod", "shop-7d9f-x2x4")
                    .containsEntry("node", "node-1")
                    .containsEntry("container", "app")
                    .doesNotContainKey("cluster");
            assertThat(payment.attributes()).containsExactlyEntriesOf(Map.of("level", "INFO"));
            assertThat(payment.record().getSeverityText()).isEqualTo("INFO");
            assertThat(payment.record().getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
            assertThat(HexFormat.of().formatHex(payment.record().getTraceId().toByteArray()))
                    .isEqualTo(TRACE_ID);
            assertThat(HexFormat.of().formatHex(payment.record().getSpanId().toByteArray()))
                    .isEqualTo(record.get("span_id"));
            assertThat(payment.scope()).isEqualTo(DirectLogExport.SCOPE);

            assertThat(this.loki.pushes()).allSatisfy(push -> assertThat(push)
                    .isEqualTo(new FakeLokiOtlp.Push("application/x-protobuf", "gzip", 204)));
            assertThat(dropped(app, DropReason.EXPORT_FAILED)).isZero();
            assertThat(dropped(app, DropReason.EXPORT_QUEUE_FULL)).isZero();
        }
    }

    @Test
    void failedExportsAreCountedAndTheExportersOwnComplaintsAreNotExported(CapturedOutput output) {
        this.loki.mode(Mode.UNAVAILABLE);
        try (RunningApp app = start("management.opentelemetry.logging.export.otlp.timeout=1s")) {
            for (int i = 0; i < 3; i++) {
                assertThat(app.get("/pay").statusCode()).isEqualTo(200);
            }
            await().atMost(PATIENCE).until(() -> dropped(app, DropReason.EXPORT_FAILED) >= 3);
            await().atMost(PATIENCE).until(() -> output.getOut().contains("Failed to export logs"));

            this.loki.mode(Mode.ACCEPT);
            assertThat(app.get("/burst?n=1&tag=after-outage").statusCode()).isEqualTo(200);
            await().atMost(PATIENCE).until(() -> find("after-outage") != null);

            assertThat(this.loki.received())
                    .extracting(r -> (String) parse(r.body()).get("logger"))
                    .noneMatch(OtlpLogAppender::fromExport);
            assertThat(dropped(app, DropReason.QUEUE_FULL)).isZero();
        }
    }

    @Test
    void aStalledEndpointFillsOnlyTheBoundedExportQueue() {
        this.loki.mode(Mode.HOLD);
        try (RunningApp app =
                start("sightline.logging.otlp.queue-size=8", "sightline.logging.otlp.shutdown-timeout=1s")) {
            assertThat(app.get("/burst?n=200&tag=stalled").statusCode()).isEqualTo(200);

            // At most one batch in the held export and one queue-full wait: every other line of the burst is dropped.
            await().atMost(PATIENCE).until(() -> dropped(app, DropReason.EXPORT_QUEUE_FULL) >= 200 - 2 * 8);
            for (int i = 0; i < 5; i++) {
                assertThat(app.get("/pay").statusCode()).isEqualTo(200);
            }
            assertThat(dropped(app, DropReason.QUEUE_FULL))
                    .as("the log writer is not held up by the endpoint")
                    .isZero();
            assertThat(this.loki.received())
                    .as("nothing got through the held endpoint")
                    .isEmpty();
            this.loki.release();
        }
    }

    @Test
    void shutdownExportsWhatWasLoggedBefore() {
        RunningApp app = start("sightline.logging.otlp.queue-size=4096");
        assertThat(app.get("/burst?n=300&tag=last-words").statusCode()).isEqualTo(200);

        app.close();

        assertThat(this.loki.received())
                .filteredOn(r -> r.body().contains("last-words"))
                .hasSize(300);
    }

    @Test
    void anUnansweringEndpointHoldsTheShutdownNoLongerThanTheTimeout() {
        this.loki.mode(Mode.HOLD);
        RunningApp app = start(
                "sightline.logging.otlp.shutdown-timeout=1s",
                // Longer than Boot's 10 s wait for the SDK on close: without the starter's bound, close takes that
                // long.
                "management.opentelemetry.logging.export.otlp.timeout=60s");
        assertThat(app.get("/pay").statusCode()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> this.loki.held() > 0);

        long start = System.nanoTime();
        app.close();
        Duration closing = Duration.ofNanos(System.nanoTime() - start);

        assertThat(closing).isLessThan(Duration.ofSeconds(8));
        this.loki.release();
    }

    @Test
    void anEndpointThatIsNotAnOtlpLogsUrlStopsTheStartWithWhatToSet() {
        assertThatThrownBy(() -> RunningApp.start(
                        App.class, WebApplicationType.SERVLET, "sightline.logging.otlp.endpoint=http://loki:3100/otlp"))
                .rootCause()
                .hasMessageContaining("sightline.logging.otlp.endpoint")
                .hasMessageContaining("ending in /v1/logs");
    }

    @Test
    void nothingIsExportedWithoutAnEndpointOrWhenSwitchedOff() {
        try (RunningApp off = RunningApp.start(App.class, WebApplicationType.SERVLET);
                RunningApp disabled = RunningApp.start(
                        App.class,
                        WebApplicationType.SERVLET,
                        "sightline.logging.otlp.endpoint=" + this.loki.url(),
                        "sightline.logging.otlp.enabled=false")) {
            for (RunningApp app : List.of(off, disabled)) {
                assertThat(app.context().getBeansOfType(DirectLogExport.class)).isEmpty();
                assertThat(app.context()
                                .getEnvironment()
                                .getProperty("management.opentelemetry.logging.export.otlp.endpoint"))
                        .isNull();
                assertThat(app.get("/pay").statusCode()).isEqualTo(200);
            }
        }
        assertThat(this.loki.pushes()).isEmpty();
    }

    private RunningApp start(String... properties) {
        String[] all = new String[properties.length + 2];
        all[0] = "sightline.logging.otlp.endpoint=" + this.loki.url();
        all[1] = "sightline.logging.format=json";
        System.arraycopy(properties, 0, all, 2, properties.length);
        return RunningApp.start(App.class, WebApplicationType.SERVLET, all);
    }

    private Received find(String part) {
        return this.loki.received().stream()
                .filter(r -> r.body().contains(part))
                .findFirst()
                .orElse(null);
    }

    private static Map<String, Object> parse(String json) {
        return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    }

    private static double dropped(RunningApp app, DropReason reason) {
        Matcher value = Pattern.compile(
                        "(?m)^sightline_log_events_dropped_total\\{application=\"starter-test\",reason=\""
                                + reason.label() + "\"} (\\S+)$")
                .matcher(app.scrape());
        assertThat(value.find()).as("counter for reason %s", reason.label()).isTrue();
        return Double.parseDouble(value.group(1));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Payments.class)
    static class App {}

    @RestController
    static class Payments {

        private static final Logger log = LoggerFactory.getLogger(Payments.class);

        @GetMapping("/pay")
        String pay() {
            log.info("charging card for password=hunter2");
            return "paid";
        }

        @GetMapping("/burst")
        String burst(@RequestParam int n, @RequestParam String tag) {
            for (int i = 0; i < n; i++) {
                log.info("{} {}", tag, i);
            }
            return "logged " + n;
        }
    }
}
