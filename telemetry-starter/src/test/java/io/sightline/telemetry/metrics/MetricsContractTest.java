package io.sightline.telemetry.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.telemetry.support.RunningApp;
import io.sightline.testsupport.contract.TelemetryContractDoc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scrapes a real Spring MVC application on its management port and pins what it exposes against
 * {@code docs/telemetry-contract.md} section 4 (the starter's metric names, labels and the
 * {@code le} bounds of {@code http_server_requests_seconds_bucket}), and against section 7 (the
 * management endpoints live on the management port only).
 */
class MetricsContractTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static RunningApp app;

    @BeforeAll
    static void start() {
        app = RunningApp.start(App.class, WebApplicationType.SERVLET);
        assertThat(app.get("/items/1", "traceparent", RunningApp.traceparent(TRACE_ID))
                        .statusCode())
                .isEqualTo(200);
        assertThat(app.get("/fail").statusCode()).isEqualTo(500);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void starterMetricsOfTheContractAreExposedWithTheirLabels() throws IOException {
        String scrape = app.scrape();
        Map<String, Set<String>> contract =
                TelemetryContractDoc.metricLabels(TelemetryContractDoc.read().subsection("### telemetry-starter"));
        assertThat(contract).containsKeys("sightline_build_info", "sightline_exceptions_total");
        contract.forEach((metric, labels) -> {
            if (!metric.equals("sightline_log_events_dropped_total")) { // pinned by ContractTest with the logging
                assertThat(labelsOf(scrape, metric)).as("labels of %s", metric).isEqualTo(labels);
            }
        });
        assertThat(scrape)
                .contains("sightline_build_info{application=\"starter-test\",version=\"" + RunningApp.BUILD_VERSION
                        + "\"} 1");
        assertThat(scrape)
                .containsPattern(
                        "sightline_exceptions_total\\{application=\"starter-test\",exception=\"IllegalStateException\"} 1(\\.0)?\\n");
        assertThat(scrape)
                .as("read by the JvmThreadsDeadlocked alert")
                .containsPattern("(?m)^jvm_threads_deadlocked_threads\\{application=\"starter-test\"} 0(\\.0)?$");
    }

    @Test
    void httpServerRequestsHaveExactlyTheContractBuckets() throws IOException {
        Matcher bucketsLine = Pattern.compile(
                        "`http_server_requests_seconds_bucket` has exactly these `le` bounds \\(seconds\\):\\s*\\n?([0-9., ]+)")
                .matcher(TelemetryContractDoc.read().subsection("### telemetry-starter"));
        assertThat(bucketsLine.find()).as("bucket list in the contract").isTrue();
        List<Double> expected = new ArrayList<>();
        for (String bound : bucketsLine.group(1).split(",")) {
            if (!bound.isBlank()) {
                expected.add(Double.parseDouble(bound.trim()));
            }
        }
        assertThat(expected).hasSize(11);

        Matcher le = Pattern.compile(
                        "http_server_requests_seconds_bucket\\{[^}]*uri=\"/items/\\{id}\"[^}]*le=\"([^\"]+)\"")
                .matcher(app.scrape());
        List<String> emitted = new ArrayList<>();
        while (le.find()) {
            emitted.add(le.group(1));
        }
        assertThat(emitted).last().isEqualTo("+Inf");
        assertThat(emitted.subList(0, emitted.size() - 1))
                .map(Double::parseDouble)
                .containsExactlyElementsOf(expected);
    }

    @Test
    void openMetricsScrapeCarriesTraceIdExemplars() {
        String body = app.get(
                        app.managementPort(),
                        "/actuator/prometheus",
                        "Accept",
                        "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .body();
        assertThat(body)
                .containsPattern(
                        "http_server_requests_seconds_bucket\\{[^}]*uri=\"/items/\\{id}\"[^}]*} 1 # \\{span_id=\"[0-9a-f]{16}\",trace_id=\""
                                + TRACE_ID + "\"}");
        assertThat(app.scrape()).as("no exemplars in the plain text format").doesNotContain(TRACE_ID);
        // the timers (hence these exemplars) came from the starter's handler, wrapped by Boot for exemplars
        assertThat(app.context().getBean(CachingServerRequestMeterHandler.class).cached())
                .isPositive();
    }

    /** Boot's long-task timer ran for every request; nothing in Sightline reads it, so the starter turns it off. */
    @Test
    void noLongTaskTimerPerRequest() {
        assertThat(app.scrape()).doesNotContain("http_server_requests_active_seconds");
    }

    @Test
    void managementEndpointsAreOnTheManagementPortOnly() {
        assertThat(app.get(app.port(), "/actuator/prometheus").statusCode()).isEqualTo(404);
        assertThat(app.get(app.port(), "/actuator/health").statusCode()).isEqualTo(404);
        assertThat(app.get(app.managementPort(), "/actuator/health").statusCode())
                .isEqualTo(200);
        assertThat(app.get(app.managementPort(), "/actuator/info").body()).contains(RunningApp.BUILD_VERSION);
        assertThat(app.get(app.managementPort(), "/actuator/env").statusCode()).isEqualTo(404);
        assertThat(app.get(app.managementPort(), "/actuator/beans").statusCode())
                .isEqualTo(404);
    }

    @Test
    void managementPortDefaultsTo8081AndOtlpPushIsOff() {
        // The test overrides the port with 0; the starter's own default sits below it.
        assertThat(app.context()
                        .getEnvironment()
                        .getPropertySources()
                        .get("defaultProperties")
                        .getProperty("management.server.port"))
                .isEqualTo("8081");
        assertThat(app.context().getBeanNamesForType(io.micrometer.registry.otlp.OtlpMeterRegistry.class))
                .isEmpty();
    }

    private static Set<String> labelsOf(String scrape, String metric) {
        Matcher series = Pattern.compile("(?m)^" + metric + "\\{([^}]*)}").matcher(scrape);
        assertThat(series.find()).as("%s in the scrape", metric).isTrue();
        Set<String> labels = new TreeSet<>();
        for (String pair : series.group(1).split(",")) {
            labels.add(pair.substring(0, pair.indexOf('=')));
        }
        return labels;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Endpoints.class)
    static class App {}

    @RestController
    static class Endpoints {

        @GetMapping("/items/{id}")
        String item(@PathVariable String id) {
            return "item " + id;
        }

        @GetMapping("/fail")
        String fail() {
            throw new IllegalStateException("failing on purpose");
        }
    }
}
