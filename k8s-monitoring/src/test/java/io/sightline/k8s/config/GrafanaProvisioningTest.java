package io.sightline.k8s.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.contract.TelemetryContractDoc;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;

import static io.sightline.k8s.support.Manifests.configData;
import static io.sightline.k8s.support.Manifests.name;
import static io.sightline.k8s.support.Manifests.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grafana cannot run here; its provisioning files and Deployment are checked for what the dashboards rely on:
 * the contract's datasource uids, the links between logs, traces and exemplars, and every dashboard ConfigMap in the
 * provider's directory.
 */
class GrafanaProvisioningTest {

    private final Manifests base = Manifests.render(ModuleFiles.BASE);
    private final Map<String, Object> provisioning = base.generatedConfigMap("grafana-provisioning");
    private final Map<String, Object> pod = Yaml.map(podTemplate(base.get("Deployment", "grafana")), "spec");

    @Test
    void datasourcesHaveTheContractsUids() {
        TelemetryContractDoc contract = TelemetryContractDoc.read(ModuleFiles.CONTRACT);
        List<String> contractUids =
                TelemetryContractDoc.codeSpans(contract.bullet(contract.section("## 5."), "- Datasource uids:"));

        assertThat(datasources())
                .extracting(d -> d.get("uid") + "=" + d.get("type") + "@" + d.get("url"))
                .containsExactlyInAnyOrder(
                        "prometheus=prometheus@http://prometheus:9090",
                        "loki=loki@http://loki:3100",
                        "tempo=tempo@http://tempo:3200",
                        "alertmanager=alertmanager@http://alertmanager:9093");
        assertThat(datasources()).extracting(d -> d.get("uid")).containsExactlyInAnyOrderElementsOf(contractUids);
    }

    /** A log line's trace_id (structured metadata, contract section 3) opens its trace in Tempo. */
    @Test
    void logLinesLinkToTheirTrace() {
        Map<String, Object> derived =
                Yaml.maps(datasource("loki"), "jsonData", "derivedFields").get(0);

        assertThat(derived)
                .containsEntry("matcherType", "label")
                .containsEntry("matcherRegex", "trace_id")
                .containsEntry("datasourceUid", "tempo")
                // `$$` is Grafana's escape for a literal `$` in provisioning files (it expands $NAME otherwise)
                .containsEntry("url", "$${__value.raw}");
        assertThat(contractSection("## 3.")).contains("`trace_id`");
    }

    /**
     * A span opens the log lines of its trace: the stream selector is built from resource attributes mapped to the
     * contract's Loki labels, the filter is the trace_id structured metadata.
     */
    @Test
    void spansLinkToTheLogLinesOfTheirTrace() {
        Map<String, Object> toLogs = Yaml.map(datasource("tempo"), "jsonData", "tracesToLogsV2");

        assertThat(toLogs).containsEntry("datasourceUid", "loki").containsEntry("customQuery", true);
        assertThat(Yaml.maps(toLogs, "tags"))
                .extracting(t -> t.get("key") + "->" + t.get("value"))
                .containsExactlyInAnyOrder("service.name->service_name", "k8s.namespace.name->namespace");
        assertThat(Yaml.text(toLogs, "query")).isEqualTo("{$${__tags}} | trace_id=\"$${__trace.traceId}\"");
        String streams = contractSection("## 3.");
        assertThat(streams).contains("`namespace`, `service_name`");

        Map<String, Object> toMetrics = Yaml.map(datasource("tempo"), "jsonData", "tracesToMetrics");
        assertThat(toMetrics).containsEntry("datasourceUid", "prometheus");
        assertThat(Yaml.maps(toMetrics, "tags"))
                .extracting(t -> t.get("key") + "->" + t.get("value"))
                .containsExactly("service.name->application");
    }

    /** The starter's exemplars carry trace_id (docs/telemetry-starter.md); Prometheus keeps them, Grafana links them. */
    @Test
    void latencyExemplarsLinkToTheirTrace() {
        assertThat(Yaml.maps(datasource("prometheus"), "jsonData", "exemplarTraceIdDestinations"))
                .containsExactly(Map.of("name", "trace_id", "datasourceUid", "tempo"));
        assertThat(ModuleFiles.read(ModuleFiles.REPOSITORY.resolve("docs/telemetry-starter.md")))
                .contains("# {span_id=\"…\",trace_id=\"…\"}");
        Map<String, Object> prometheus = Yaml.maps(
                        podTemplate(base.get("StatefulSet", "prometheus")), "spec", "containers")
                .get(0);
        assertThat(Yaml.list(prometheus, "args")).contains("--enable-feature=exemplar-storage");
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

    private List<Map<String, Object>> datasources() {
        return Yaml.maps(Yaml.load(configData(provisioning, "datasources.yaml")), "datasources");
    }

    private Map<String, Object> datasource(String uid) {
        return datasources().stream()
                .filter(d -> uid.equals(d.get("uid")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no datasource " + uid));
    }

    private static String contractSection(String heading) {
        return TelemetryContractDoc.read(ModuleFiles.CONTRACT).section(heading);
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
