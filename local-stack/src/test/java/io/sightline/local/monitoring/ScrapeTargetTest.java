package io.sightline.local.monitoring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScrapeTargetTest {

    private final ScrapeTarget sidecar = new ScrapeTarget(
            "demo", "demo-service", "demo-service-1", "log-sidecar", "host-a", "127.0.0.1:9195", "/metrics");

    @Test
    void labelsAreThoseOfTheKubernetesRelabeling() {
        assertThat(sidecar.labels())
                .containsExactly(
                        Map.entry("job", "demo/demo-service"),
                        Map.entry("namespace", "demo"),
                        Map.entry("pod", "demo-service-1"),
                        Map.entry("container", "log-sidecar"),
                        Map.entry("node", "host-a"),
                        Map.entry("__metrics_path__", "/metrics"));
    }

    @Test
    void fileSdGroupHasTheAddressAndTheLabels() {
        String json = ScrapeTargets.toFileSdJson(List.of(sidecar));

        assertThat(json)
                .contains(
                        "\"targets\" : [ \"127.0.0.1:9195\" ]",
                        "\"job\" : \"demo/demo-service\"",
                        "\"__metrics_path__\" : \"/metrics\"");
    }

    @Test
    void rejectsARelativeMetricsPath() {
        assertThatThrownBy(() -> new ScrapeTarget("demo", "a", "a-0", "a", "n", "127.0.0.1:1", "metrics"))
                .hasMessageContaining("metricsPath");
    }

    @Test
    void prometheusConfigReadsTheTargetFilesAndRulesAndAlertsTheLocalAlertmanager() {
        String yaml = new PrometheusConfig(
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5),
                        "127.0.0.1:9093",
                        Path.of("/w/rules"),
                        Path.of("/w/targets"),
                        List.of(Map.of("job_name", "kubelet-cadvisor")))
                .toYaml();

        assertThat(yaml)
                .contains(
                        "scrape_interval: 5s",
                        "evaluation_interval: 5s",
                        "/w/rules/*.yaml",
                        "- /w/targets/*.json",
                        "- 127.0.0.1:9093",
                        "job_name: local-stack",
                        "job_name: kubelet-cadvisor");
        assertThat(new PrometheusConfig(
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(5),
                                null,
                                Path.of("/w/rules"),
                                Path.of("/w/targets"),
                                List.of())
                        .toYaml())
                .doesNotContain("alerting");
    }
}
