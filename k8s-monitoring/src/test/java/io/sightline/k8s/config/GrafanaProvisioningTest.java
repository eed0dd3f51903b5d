package io.sightline.k8s.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;

import static io.sightline.k8s.support.Manifests.configData;
import static io.sightline.k8s.support.Manifests.name;
import static io.sightline.k8s.support.Manifests.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grafana cannot run here; its provisioning files and Deployment are checked for what the dashboards rely on:
 * the contract's datasource uids and every dashboard ConfigMap in the provider's directory.
 */
class GrafanaProvisioningTest {

    private final Manifests base = Manifests.render(ModuleFiles.BASE);
    private final Map<String, Object> provisioning = base.generatedConfigMap("grafana-provisioning");
    private final Map<String, Object> pod = Yaml.map(podTemplate(base.get("Deployment", "grafana")), "spec");

    @Test
    void datasourcesHaveTheContractsUids() {
        List<Map<String, Object>> datasources =
                Yaml.maps(Yaml.load(configData(provisioning, "datasources.yaml")), "datasources");

        assertThat(datasources)
                .extracting(d -> d.get("uid") + "=" + d.get("type") + "@" + d.get("url"))
                .containsExactlyInAnyOrder(
                        "prometheus=prometheus@http://prometheus.monitoring.svc:9090",
                        "loki=loki@http://loki.monitoring.svc:3100",
                        "alertmanager=alertmanager@http://alertmanager.monitoring.svc:9093");
    }

    @Test
    void everyDashboardConfigMapIsInTheProvidersDirectory() {
        List<String> dashboards = base.ofKind("ConfigMap").stream()
                .filter(cm -> "1".equals(Yaml.text(cm, "metadata", "labels", "grafana_dashboard")))
                .map(Manifests::name)
                .toList();
        Map<String, Object> volume = Yaml.maps(pod, "volumes").stream()
                .filter(v -> "dashboards".equals(v.get("name")))
                .findFirst()
                .orElseThrow();
        String providerPath =
                Yaml.text(Yaml.load(configData(provisioning, "dashboards.yaml")), "providers", "0", "options", "path");

        assertThat(dashboards)
                .as("dashboards/kustomization.yaml generates the dashboards")
                .isNotEmpty();
        assertThat(Yaml.maps(volume, "projected", "sources"))
                .extracting(s -> Yaml.text(s, "configMap", "name"))
                .containsExactlyInAnyOrderElementsOf(dashboards);
        assertThat(Yaml.maps(pod, "containers", "0", "volumeMounts")).anySatisfy(m -> assertThat(m)
                .containsEntry("name", "dashboards")
                .containsEntry("mountPath", providerPath)
                .doesNotContainKey("subPath"));
    }

    @Test
    void adminComesFromTheUsersSecretAndAnonymousAccessIsOff() {
        Map<String, Map<String, Object>> env = new HashMap<>();
        Yaml.maps(pod, "containers", "0", "env").forEach(e -> env.put(Yaml.text(e, "name"), e));

        assertThat(Yaml.text(env.get("GF_SECURITY_ADMIN_USER"), "valueFrom", "secretKeyRef", "name"))
                .isEqualTo("grafana-admin");
        assertThat(Yaml.text(env.get("GF_SECURITY_ADMIN_PASSWORD"), "valueFrom", "secretKeyRef", "name"))
                .isEqualTo("grafana-admin");
        assertThat(Yaml.text(env.get("GF_SECURITY_ADMIN_PASSWORD"), "value")).isNull();
        assertThat(Yaml.text(env.get("GF_AUTH_ANONYMOUS_ENABLED"), "value")).isEqualTo("false");
        assertThat(name(provisioning)).startsWith("grafana-provisioning-");
        assertThat(ModuleFiles.read(ModuleFiles.DEPLOY_GUIDE)).contains("create secret generic grafana-admin");
    }
}
