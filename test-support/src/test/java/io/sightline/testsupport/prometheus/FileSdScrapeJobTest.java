package io.sightline.testsupport.prometheus;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSdScrapeJobTest {

    private static final Map<String, Object> KUBELET = Yaml.load("""
            job_name: kubelet-cadvisor
            scheme: https
            metrics_path: /metrics/cadvisor
            honor_timestamps: false
            authorization: {credentials_file: /var/run/secrets/kubernetes.io/serviceaccount/token}
            tls_config: {ca_file: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt}
            kubernetes_sd_configs: [{role: node}]
            relabel_configs:
              - {source_labels: [__meta_kubernetes_node_name], target_label: node}
            metric_relabel_configs:
              - {source_labels: [__name__], regex: container_tasks_state, action: drop}
            """);

    @Test
    void keepsWhatDecidesTargetsAndSeriesAndDropsHowToReachTheCluster() {
        Map<String, Object> local = FileSdScrapeJob.of(KUBELET, Path.of("/tmp/nodes.json"));

        assertThat(local)
                .containsEntry("job_name", "kubelet-cadvisor")
                .containsEntry("metrics_path", "/metrics/cadvisor")
                .containsEntry("honor_timestamps", false)
                .containsEntry("relabel_configs", KUBELET.get("relabel_configs"))
                .containsEntry("metric_relabel_configs", KUBELET.get("metric_relabel_configs"))
                .containsEntry("file_sd_configs", List.of(Map.of("files", List.of("/tmp/nodes.json"))))
                .doesNotContainKeys("kubernetes_sd_configs", "scheme", "authorization", "tls_config");
        assertThat(KUBELET).as("the parsed job is left as it was").containsKey("kubernetes_sd_configs");
    }

    @Test
    void refusesAJobWithoutKubernetesDiscovery() {
        assertThatThrownBy(() -> FileSdScrapeJob.of(Map.of("job_name", "static"), Path.of("x.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("static");
    }
}
