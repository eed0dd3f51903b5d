package io.sightline.testsupport.contract;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TelemetryContractDocTest {

    private static final String PAGE = """
            # Contract

            ## 2. Log record

            | field | when |
            |---|---|
            | `level` | always |
            | `trace_id` | a span is active, `x` \\| `y` |

            ## 4. Metrics

            Relabeling keeps `namespace`.

            ### shipper (port 1)

            | metric | labels |
            |---|---|
            | `lines_total` | `input` |
            | `dropped_total` | `sink`, `reason` = `rejected` \\| `lost` |
            | `send_seconds` (histogram) | `sink` |
            | `leader` (gauge) | — one per replica |

            ### collector (port 2)

            | metric | labels |
            |---|---|
            | `events_total` | `namespace`, `kind` — occurrences |

            ## 5. Grafana

            - Datasource uids: `prometheus`,
              `loki`.
            - Dashboard uids: `one`.
            """;

    @TempDir
    Path dir;

    private TelemetryContractDoc doc() throws Exception {
        Path file = dir.resolve("telemetry-contract.md");
        Files.writeString(file, PAGE);
        return TelemetryContractDoc.read(file);
    }

    @Test
    void aSectionEndsAtTheNextSectionAndASubsectionAtTheNextSubsection() throws Exception {
        TelemetryContractDoc doc = doc();

        assertThat(doc.section("## 4."))
                .contains("### shipper", "### collector")
                .doesNotContain("Grafana");
        assertThat(doc.subsection("### shipper")).contains("lines_total").doesNotContain("events_total");
        assertThat(doc.subsection("### collector")).contains("events_total").doesNotContain("Grafana");
        assertThatThrownBy(() -> doc.subsection("### missing")).hasMessageContaining("### missing");
    }

    @Test
    void tableRowsLeaveOutHeadersAndSeparatorsAndKeepEscapedPipesInTheirCell() throws Exception {
        List<List<String>> rows = TelemetryContractDoc.tableRows(doc().section("## 2."));

        assertThat(rows)
                .containsExactly(List.of("`level`", "always"), List.of("`trace_id`", "a span is active, `x` \\| `y`"));
    }

    @Test
    void metricTablesGiveEachMetricWithItsLabelNamesAcrossTables() throws Exception {
        Map<String, Set<String>> metrics = TelemetryContractDoc.metricLabels(doc().section("## 4."));

        assertThat(metrics)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "lines_total", Set.of("input"),
                        "dropped_total", Set.of("sink", "reason"),
                        "send_seconds", Set.of("sink"),
                        "leader", Set.of(),
                        "events_total", Set.of("namespace", "kind")));
    }

    @Test
    void aBulletIncludesItsContinuationLines() throws Exception {
        TelemetryContractDoc doc = doc();

        assertThat(TelemetryContractDoc.codeSpans(doc.bullet(doc.section("## 5."), "- Datasource uids:")))
                .containsExactly("prometheus", "loki");
    }
}
