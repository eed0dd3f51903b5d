package io.sightline.local.status;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatusLineTest {

    @Test
    void showsRateErrorsShippedLagAndAlerts() {
        String line = StatusLine.render(
                new StatusLine.Reading(19.84, 0.125, 1234, 2048, List.of("ServiceAvailabilityBudgetBurn"), true));

        assertThat(line)
                .isEqualTo("req/s  19.8 | errors  12.5% | shipped 1234 | lag 2.0 KiB | alerts firing: "
                        + "ServiceAvailabilityBudgetBurn | FAILURE BURST");
    }

    @Test
    void marksNumbersNoSidecarReported() {
        assertThat(StatusLine.render(new StatusLine.Reading(0, 0, -1, -1, List.of(), false)))
                .contains("shipped ?", "lag ?", "alerts firing: none")
                .doesNotContain("BURST");
    }

    @Test
    void sumsSidecarMetricsAcrossLabelSets() {
        String exposition = """
                # HELP sightline_sidecar_records_sent_total Records acknowledged by the sink.
                # TYPE sightline_sidecar_records_sent_total counter
                sightline_sidecar_records_sent_total{sink="opensearch"} 120.0
                sightline_sidecar_records_sent_total{sink="loki, \\"x\\"} y"} 3 1732700000000
                sightline_sidecar_records_sent_created{sink="opensearch"} 1.7E9
                sightline_sidecar_lag_bytes{input="/var/log/app/app.log"} 512
                sightline_sidecar_lag_bytes{input="/var/log/app/old.log"} NaN
                """;

        assertThat(MetricsText.sum(exposition, "sightline_sidecar_records_sent_total"))
                .isEqualTo(123);
        assertThat(MetricsText.sum(exposition, "sightline_sidecar_lag_bytes")).isEqualTo(512);
        assertThat(MetricsText.sum(exposition, "sightline_sidecar_records_dropped_total"))
                .isZero();
    }
}
