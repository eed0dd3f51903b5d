package io.sightline.telemetry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sightline.telemetry.logging.JsonLogEncoder;
import io.sightline.telemetry.logging.LoggingAutoConfiguration;
import io.sightline.telemetry.support.ServiceIdentity;
import io.sightline.testsupport.contract.TelemetryContractDoc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the names the starter emits against {@code docs/telemetry-contract.md}: the JSON log record's
 * fields (section 2) and the log writer's drop and truncation metrics (section 4). The other metric names are pinned by
 * {@code MetricsContractTest}.
 */
class ContractTest {

    private static final TelemetryContractDoc CONTRACT = TelemetryContractDoc.read();

    @Test
    void logRecordHasExactlyTheFieldsOfSection2() throws IOException {
        List<String> contractFields = TelemetryContractDoc.tableRows(CONTRACT.section("## 2. Log record")).stream()
                .map(row -> TelemetryContractDoc.codeSpans(row.get(0)).get(0))
                .toList();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        LoggingEvent event = new LoggingEvent(
                ContractTest.class.getName(),
                context.getLogger("contract"),
                Level.ERROR,
                "everything at once",
                new IllegalStateException("outer", new IllegalArgumentException("root")),
                null);
        event.setMDCPropertyMap(Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e4736", "spanId", "00f067aa0ba902b7"));

        Map<String, Object> record = encode(event);

        assertThat(contractFields).hasSizeGreaterThanOrEqualTo(13);
        assertThat(record.keySet()).containsExactlyInAnyOrderElementsOf(contractFields);
        assertThat(JsonLogEncoder.FIELDS).containsExactlyInAnyOrderElementsOf(contractFields);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sightline_log_events_dropped_total", "sightline_log_events_truncated_total"})
    void logWriterMetricsHaveTheNameAndLabelsOfSection4(String metric) throws IOException {
        Set<String> labels = TelemetryContractDoc.metricLabels(CONTRACT.section("## 4. Metrics"))
                .get(metric);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The metrics part of the starter sets the common tag; here it is set the same way.
        registry.config().commonTags("application", "contract-test");

        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LoggingAutoConfiguration.class))
                .run(context -> context.getBean(MeterBinder.class).bindTo(registry));

        assertThat(labels).as("labels of %s in the contract", metric).containsExactly("application");
        assertThat(registry.scrape())
                .containsPattern("(?m)^" + metric + "\\{application=\"contract-test\"} \\d+(\\.\\d+)?$");
    }

    private static Map<String, Object> encode(LoggingEvent event) {
        JsonLogEncoder encoder = new JsonLogEncoder(new ServiceIdentity("contract", "1.0.0"));
        encoder.setContext(new LoggerContext());
        encoder.start();
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        return JsonMapper.builder().build().readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {});
    }
}
