package io.sightline.telemetry.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.sightline.telemetry.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Spring MVC application with the whole starter: a traced request's log line, on the console
 * and in the sidecar's file, is the contract's JSON record with the request's trace, masked; and the
 * drop counter is scraped under its Prometheus name with the application tag.
 */
@ExtendWith(OutputCaptureExtension.class)
class JsonLogsEndToEndTest {

    private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";

    @Test
    void tracedRequestLogsTheContractRecordToConsoleAndFile(@TempDir Path logs, CapturedOutput output)
            throws IOException {
        Path file = logs.resolve("app.log");
        try (RunningApp app = RunningApp.start(
                App.class,
                WebApplicationType.SERVLET,
                "sightline.logging.format=json",
                "sightline.logging.file.path=" + file)) {
            assertThat(app.get("/links", "traceparent", RunningApp.traceparent(TRACE_ID))
                            .statusCode())
                    .isEqualTo(200);

            await().until(() -> output.getOut().contains("link added"));
            Map<String, Object> record = LogEvents.parse(lineContaining(output.getOut(), "link added"));
            assertThat(record)
                    .containsEntry("message", "link added for password=****")
                    .containsEntry("trace_id", TRACE_ID)
                    .containsEntry("service_name", "starter-test")
                    .containsEntry("service_version", RunningApp.BUILD_VERSION)
                    .containsEntry("user_id", "alice")
                    .containsEntry("link_id", 7)
                    .containsEntry("level", "INFO");
            assertThat((String) record.get("span_id")).matches("[0-9a-f]{16}");
            assertThat(output.getOut()).doesNotContain("hunter2");

            await().until(() -> Files.readString(file).contains("link added"));
            assertThat(LogEvents.parse(lineContaining(Files.readString(file), "link added")))
                    .isEqualTo(record);

            String scrape = app.scrape();
            for (DropReason reason : DropReason.WRITER) {
                assertThat(scrape)
                        .containsPattern(
                                "(?m)^sightline_log_events_dropped_total\\{application=\"starter-test\",reason=\""
                                        + reason.label() + "\"} 0(\\.0)?$");
            }
            assertThat(scrape).as("no direct export configured").doesNotContain("reason=\"export_");
        }
    }

    private static String lineContaining(String text, String part) {
        return text.lines().filter(line -> line.contains(part)).findFirst().orElseThrow();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Links.class)
    static class App {}

    @RestController
    static class Links {

        private static final Logger log = LoggerFactory.getLogger(Links.class);

        @GetMapping("/links")
        String add() {
            try (MDC.MDCCloseable user = MDC.putCloseable("user_id", "alice")) {
                log.atInfo().addKeyValue("link_id", 7).log("link added for password={}", "hunter2");
            }
            return "ok";
        }
    }
}
