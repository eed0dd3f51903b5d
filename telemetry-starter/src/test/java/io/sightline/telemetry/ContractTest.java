package io.sightline.telemetry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sightline.telemetry.logexport.LogExportAutoConfiguration;
import io.sightline.telemetry.logging.DropReason;
import io.sightline.telemetry.logging.JsonLogEncoder;
import io.sightline.telemetry.logging.LoggingAutoConfiguration;
import io.sightline.telemetry.support.ServiceIdentity;
import io.sightline.testsupport.contract.TelemetryContractDoc;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the names the starter emits against {@code docs/telemetry-contract.md}: the JSON log record's
 * fields (section 2), the direct OTLP export's attribute names (section 3) and the log writer's drop and
 * truncation metrics with their reasons (section 4). The other metric names are pinned by
 * {@code MetricsContractTest}.
 */
class ContractTest {

    private static final TelemetryContractDoc CONTRACT = TelemetryContractDoc.read();

    private static final String DROPPED = "sightline_log_events_dropped_total";

    private static final String TRUNCATED = "sightline_log_events_truncated_total";

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

    @Test
    void truncationCounterHasTheNameAndLabelsOfSection4() throws IOException {
        List<String> row = metricRow(TRUNCATED);

        assertThat(row.get(1)).isEqualTo("`application`");
        assertThat(scrapeLogWriterMetrics())
                .containsPattern("(?m)^" + TRUNCATED + "\\{application=\"contract-test\"} \\d+(\\.\\d+)?$");
    }

    @Test
    void dropCounterHasTheNameLabelsAndReasonsOfSection4() throws IOException {
        List<String> row = metricRow(DROPPED);
        List<String> reasons =
                Arrays.stream(DropReason.values()).map(DropReason::label).toList();

        assertThat(row.get(1))
                .isEqualTo("`application`, `reason` = "
                        + reasons.stream().map(r -> "`" + r + "`").collect(Collectors.joining(" \\| ")));
        String scrape = scrapeLogWriterMetrics();
        for (DropReason reason : DropReason.WRITER) {
            assertThat(scrape)
                    .containsPattern("(?m)^" + DROPPED + "\\{application=\"contract-test\",reason=\"" + reason.label()
                            + "\"} \\d+(\\.\\d+)?$");
        }
        assertThat(DropReason.WRITER).doesNotContainAnyElementsOf(DropReason.EXPORT);
        assertThat(Stream.concat(DropReason.WRITER.stream(), DropReason.EXPORT.stream()))
                .containsExactlyInAnyOrder(DropReason.values());
    }

    /** The direct export's resource attributes are those of the table in section 3, from the same variables. */
    @Test
    void directExportAttributesAreTheOnesOfSection3() throws IOException {
        Map<String, String> contract = new LinkedHashMap<>();
        List<List<String>> rows = TelemetryContractDoc.tableRows(CONTRACT.section("## 3. Loki streams"));
        for (List<String> row : rows) {
            if (row.get(0).equals("resource attribute")) {
                List<String> names = TelemetryContractDoc.codeSpans(row.get(1));
                contract.put(names.get(0), row.get(1).contains("(env ") ? names.get(1) : null);
            }
        }
        Map<String, String> starter = new LinkedHashMap<>();
        LogExportAutoConfiguration.IDENTITY_ATTRIBUTES.forEach(
                (variable, attribute) -> starter.put(attribute, variable));
        starter.put("service.name", null);
        starter.put("service.version", null);

        assertThat(contract).isEqualTo(starter);
        assertThat(rows).contains(List.of("log attribute", "`level`", "structured metadata `level`"));
    }

    /** The cells of the metric's row in section 4. */
    private static List<String> metricRow(String metric) {
        return TelemetryContractDoc.tableRows(CONTRACT.section("## 4. Metrics")).stream()
                .filter(row -> TelemetryContractDoc.codeSpans(row.get(0)).equals(List.of(metric)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("contract has no row for " + metric));
    }

    private static String scrapeLogWriterMetrics() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The metrics part of the starter sets the common tag; here it is set the same way.
        registry.config().commonTags("application", "contract-test");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LoggingAutoConfiguration.class))
                .run(context -> context.getBean(MeterBinder.class).bindTo(registry));
        return registry.scrape();
    }

    private static Map<String, Object> encode(LoggingEvent event) {
        JsonLogEncoder encoder = new JsonLogEncoder(new ServiceIdentity("contract", "1.0.0"));
        encoder.setContext(new LoggerContext());
        encoder.start();
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        return JsonMapper.builder().build().readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {});
    }
}
