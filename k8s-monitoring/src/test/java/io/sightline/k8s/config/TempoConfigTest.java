package io.sightline.k8s.config;

import java.util.List;
import java.util.Map;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;

import static io.sightline.k8s.support.Manifests.configData;
import static io.sightline.k8s.support.Manifests.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tempo cannot run here (no binary), so its configuration and manifests are checked against what Tempo documents and
 * what the starter sends: OTLP/HTTP on 4318 (the Service, the container and the NetworkPolicy agree), local storage
 * on the volume only (the root filesystem is read-only), a retention the compactor enforces, and the ingestion
 * limits written out.
 */
class TempoConfigTest {

    private final Manifests base = Manifests.render(ModuleFiles.BASE);
    private final Map<String, Object> tempo =
            Yaml.load(configData(base.generatedConfigMap("tempo-config"), "tempo.yaml"));
    private final Map<String, Object> statefulSet = base.get("StatefulSet", "tempo");
    private final Map<String, Object> container =
            Yaml.maps(podTemplate(statefulSet), "spec", "containers").get(0);

    @Test
    void receivesOtlpOverHttpWhereTheServiceAndPolicySay() {
        Map<String, Object> protocols = Yaml.map(tempo, "distributor", "receivers", "otlp", "protocols");

        assertThat(protocols).containsOnlyKeys("http");
        assertThat(Yaml.text(protocols, "http", "endpoint")).isEqualTo("0.0.0.0:4318");
        assertThat(port(Yaml.maps(base.get("Service", "tempo"), "spec", "ports"), "otlp-http"))
                .isEqualTo("4318");
        assertThat(Yaml.maps(container, "ports"))
                .anySatisfy(
                        p -> assertThat(p).containsEntry("name", "otlp-http").containsEntry("containerPort", 4318));

        List<Map<String, Object>> ingress = Yaml.maps(base.get("NetworkPolicy", "tempo"), "spec", "ingress");
        assertThat(ingress)
                .as("applications reach OTLP only from namespaces labelled for Sightline")
                .anySatisfy(rule -> {
                    assertThat(Yaml.maps(rule, "from")).singleElement().satisfies(from -> assertThat(
                                    Yaml.map(from, "namespaceSelector", "matchLabels"))
                            .containsExactly(Map.entry("sightline.io/telemetry", "true")));
                    assertThat(Yaml.maps(rule, "ports"))
                            .extracting(p -> p.get("port"))
                            .containsExactly(4318);
                });
        assertThat(ingress).as("the API port only for Grafana and Prometheus").anySatisfy(rule -> {
            assertThat(Yaml.maps(rule, "from"))
                    .extracting(from -> Yaml.text(from, "podSelector", "matchLabels", "app.kubernetes.io/name"))
                    .containsExactlyInAnyOrder("grafana", "prometheus");
            assertThat(Yaml.maps(rule, "ports")).extracting(p -> p.get("port")).containsExactly(3200);
        });
    }

    @Test
    void storesBlocksOnThePersistentVolumeWithRetention() {
        assertThat(Yaml.text(tempo, "storage", "trace", "backend")).isEqualTo("local");
        assertThat(List.of(
                        Yaml.text(tempo, "storage", "trace", "wal", "path"),
                        Yaml.text(tempo, "storage", "trace", "local", "path")))
                .allSatisfy(path -> assertThat(path).startsWith("/var/tempo/"));
        assertThat(Yaml.maps(container, "volumeMounts"))
                .anySatisfy(m -> assertThat(m).containsEntry("name", "data").containsEntry("mountPath", "/var/tempo"));
        assertThat(Yaml.text(statefulSet, "spec", "volumeClaimTemplates", "0", "metadata", "name"))
                .isEqualTo("data");
        assertThat(Yaml.text(tempo, "compactor", "compaction", "block_retention"))
                .isNotBlank()
                .isNotEqualTo("0s");
        assertThat(Yaml.isTrue(tempo, "usage_report", "reporting_enabled")).isFalse();
    }

    @Test
    void ingestionLimitsAreWrittenOut() {
        Map<String, Object> defaults = Yaml.map(tempo, "overrides", "defaults");

        assertThat(Yaml.map(defaults, "ingestion"))
                .containsKeys("rate_limit_bytes", "burst_size_bytes", "max_traces_per_user");
        assertThat(Long.parseLong(Yaml.text(defaults, "ingestion", "burst_size_bytes")))
                .isGreaterThanOrEqualTo(Long.parseLong(Yaml.text(defaults, "ingestion", "rate_limit_bytes")));
        assertThat(Long.parseLong(Yaml.text(defaults, "global", "max_bytes_per_trace")))
                .isPositive();
    }

    /** Prometheus scrapes Tempo's /metrics on the API port, the port Grafana's datasource uses. */
    @Test
    void isScrapedOnItsApiPort() {
        String apiPort = Yaml.text(tempo, "server", "http_listen_port");

        assertThat(Yaml.map(podTemplate(statefulSet), "metadata", "annotations"))
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", apiPort)
                .containsEntry("prometheus.io/path", "/metrics");
        assertThat(port(Yaml.maps(base.get("Service", "tempo"), "spec", "ports"), "http"))
                .isEqualTo(apiPort);
        assertThat(Yaml.text(container, "image")).matches("docker\\.io/grafana/tempo:\\d+\\.\\d+\\.\\d+");
    }

    /** The demo service, deployed as the README says, exports its spans to this Tempo's OTLP/HTTP traces path. */
    @Test
    void theDemoServiceExportsItsSpansToTempo() {
        Map<String, Object> demo = Yaml.maps(
                        podTemplate(Manifests.render(ModuleFiles.DEMO_OVERLAY).get("Deployment", "demo-service")),
                        "spec",
                        "containers")
                .get(0);
        Map<String, Object> service = base.get("Service", "tempo");

        assertThat(Yaml.maps(demo, "env"))
                .contains(Map.of(
                        "name",
                        "SIGHTLINE_TRACING_OTLP_ENDPOINT",
                        "value",
                        "http://tempo." + Manifests.namespace(service) + ".svc:"
                                + port(Yaml.maps(service, "spec", "ports"), "otlp-http") + "/v1/traces"));
    }

    private static String port(List<Map<String, Object>> ports, String name) {
        return ports.stream()
                .filter(p -> name.equals(p.get("name")))
                .map(p -> Yaml.text(p, "port"))
                .findFirst()
                .orElse(null);
    }
}
