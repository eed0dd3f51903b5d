package io.sightline.dashboards;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sightline.testsupport.tool.Tool;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kubectl kustomize dashboards/} (the real kubectl, offline) renders one ConfigMap per dashboard, in the
 * monitoring namespace, labelled for Grafana's dashboard sidecar, each small enough for {@code kubectl apply}.
 */
class KustomizationTest {

    /** kubectl apply keeps the whole object in an annotation limited to 256 KiB; keep a margin. */
    private static final int MAX_DASHBOARD_BYTES = 250 * 1024;

    private static final Map<String, String> CONFIG_MAP_BY_FILE = Map.of(
            "sightline-service.json", "grafana-dashboard-service",
            "sightline-jvm.json", "grafana-dashboard-jvm",
            "sightline-logs.json", "grafana-dashboard-logs",
            "sightline-errors.json", "grafana-dashboard-errors",
            "sightline-k8s-events.json", "grafana-dashboard-k8s-events",
            "sightline-pipeline.json", "grafana-dashboard-pipeline");

    @Test
    @SuppressWarnings("unchecked")
    void rendersOneLabelledConfigMapPerDashboard() throws Exception {
        Path module = Dashboard.moduleDirectory();
        List<Map<String, Object>> objects =
                Yaml.loadAll(Tool.KUBECTL.run(module, "kustomize", ".").assertSuccess());

        assertThat(objects).hasSize(CONFIG_MAP_BY_FILE.size());
        List<String> files = new ArrayList<>();
        for (Map<String, Object> object : objects) {
            assertThat(object.get("kind")).isEqualTo("ConfigMap");
            Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
            Map<String, Object> data = (Map<String, Object>) object.get("data");
            assertThat(metadata.get("namespace")).isEqualTo("monitoring");
            assertThat((Map<String, Object>) metadata.get("labels")).containsEntry("grafana_dashboard", "1");
            assertThat(data).as("data of %s", metadata.get("name")).hasSize(1);
            String file = data.keySet().iterator().next();
            files.add(file);
            assertThat(metadata.get("name")).as("ConfigMap holding %s", file).isEqualTo(CONFIG_MAP_BY_FILE.get(file));
            String json = (String) data.get(file);
            assertThat(json).as("%s is the file as committed", file).isEqualTo(Files.readString(module.resolve(file)));
            assertThat(json.getBytes(StandardCharsets.UTF_8).length)
                    .as("size of %s", file)
                    .isLessThan(MAX_DASHBOARD_BYTES);
        }
        assertThat(files)
                .as("every dashboard file is in the kustomization")
                .containsExactlyInAnyOrderElementsOf(Dashboard.loadAll().stream()
                        .map(d -> d.file().getFileName().toString())
                        .toList());
    }
}
