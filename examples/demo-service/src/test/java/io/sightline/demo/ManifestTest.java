package io.sightline.demo;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/** The Deployment keeps the security and observability promises the README makes. */
class ManifestTest {

    @Test
    @SuppressWarnings("unchecked")
    void deploymentRunsLockedDownAndIsScrapedAndProbedOnTheManagementPort() throws IOException {
        Map<String, Object> deployment;
        try (Reader reader = Files.newBufferedReader(Path.of("k8s", "base", "deployment.yaml"))) {
            deployment = new Yaml().load(reader);
        }
        Map<String, Object> template = map(map(deployment, "spec"), "template");
        assertThat(map(map(template, "metadata"), "annotations"))
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "8081")
                .containsEntry("prometheus.io/path", "/actuator/prometheus");
        Map<String, Object> pod = map(template, "spec");
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertThat(map(container, "securityContext"))
                .containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false);
        assertThat((List<Map<String, Object>>) container.get("volumeMounts"))
                .anySatisfy((mount) -> assertThat(mount).containsEntry("mountPath", "/tmp"));
        assertThat((List<Map<String, Object>>) pod.get("volumes"))
                .anySatisfy((volume) -> assertThat(volume).containsKey("emptyDir"));
        assertThat(map(map(container, "livenessProbe"), "httpGet"))
                .containsEntry("path", "/actuator/health/liveness")
                .containsEntry("port", "management");
        assertThat(map(map(container, "readinessProbe"), "httpGet"))
                .containsEntry("path", "/actuator/health/readiness")
                .containsEntry("port", "management");
        assertThat((List<Map<String, Object>>) container.get("ports"))
                .anySatisfy((port) ->
                        assertThat(port).containsEntry("name", "management").containsEntry("containerPort", 8081));
        assertThat(map(container, "resources")).containsKeys("requests", "limits");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return (value instanceof Map) ? (Map<String, Object>) value : null;
    }
}
