package io.sightline.k8s.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.k8s.support.Quantities;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;

import static io.sightline.k8s.support.Manifests.configData;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loki cannot run here (no binary), so its configuration is checked against what Loki documents and what the
 * log-sidecar is built for: a line the sidecar sends (at most its SIGHTLINE_MAX_LINE_BYTES, 256 KiB) is never
 * rejected, structured metadata is accepted (schema v13 on TSDB), retention is enforced by the compactor, and
 * out-of-order entries are accepted. Its OTLP ingestion ({@code limits_config.otlp_config}) is checked by applying
 * the rule Loki documents and implements ({@code OTLPConfig.actionForAttribute}: the first entry whose
 * {@code attributes} names the attribute or whose {@code regex} matches it decides; no match means structured
 * metadata; {@code ignore_defaults} removes the default index labels; dots become underscores) to the direct
 * export's table in the telemetry contract, section 3.
 */
class LokiConfigTest {

    /** The sidecar's default SIGHTLINE_MAX_LINE_BYTES (log-sidecar SidecarConfig). */
    private static final long SIDECAR_MAX_LINE_BYTES = 256 << 10;
    /** The sidecar's default SIGHTLINE_BATCH_MAX_BYTES: one push. */
    private static final long SIDECAR_BATCH_BYTES = 1 << 20;

    private final Map<String, Object> loki =
            Yaml.load(configData(Manifests.render(ModuleFiles.BASE).generatedConfigMap("loki-config"), "loki.yaml"));

    @Test
    void acceptsEveryLineTheSidecarSends() {
        Map<String, Object> limits = Yaml.map(loki, "limits_config");

        assertThat(Quantities.lokiBytes(Yaml.text(limits, "max_line_size"))).isEqualTo(SIDECAR_MAX_LINE_BYTES);
        assertThat(Yaml.text(limits, "max_line_size_truncate")).isEqualTo("false");
        assertThat(Yaml.isTrue(limits, "unordered_writes")).isTrue();
        assertThat(Long.parseLong(Yaml.text(limits, "ingestion_burst_size_mb")) << 20)
                .as("a burst holds several of one sidecar's batches")
                .isGreaterThanOrEqualTo(4 * SIDECAR_BATCH_BYTES);
        assertThat(Quantities.lokiBytes(Yaml.text(limits, "per_stream_rate_limit")))
                .isGreaterThanOrEqualTo(SIDECAR_BATCH_BYTES);
    }

    @Test
    void storesStructuredMetadataOnTsdbV13() {
        assertThat(Yaml.isTrue(loki, "limits_config", "allow_structured_metadata"))
                .isTrue();
        Map<String, Object> schema = Yaml.maps(loki, "schema_config", "configs").get(0);
        assertThat(schema)
                .containsEntry("store", "tsdb")
                .containsEntry("schema", "v13")
                .containsEntry("object_store", "filesystem");
    }

    @Test
    void compactorEnforcesRetentionOnThePersistentVolume() {
        assertThat(Yaml.isTrue(loki, "compactor", "retention_enabled")).isTrue();
        assertThat(Yaml.text(loki, "compactor", "delete_request_store")).isEqualTo("filesystem");
        assertThat(Yaml.text(loki, "limits_config", "retention_period"))
                .isNotBlank()
                .isNotEqualTo("0s");
        assertThat(Yaml.text(loki, "common", "path_prefix")).isEqualTo("/loki");
        // the root filesystem is read-only: everything Loki writes is under the volume
        assertThat(List.of(
                        Yaml.text(loki, "ingester", "wal", "dir"),
                        Yaml.text(loki, "compactor", "working_directory"),
                        Yaml.text(loki, "storage_config", "tsdb_shipper", "active_index_directory"),
                        Yaml.text(loki, "storage_config", "tsdb_shipper", "cache_location"),
                        Yaml.text(loki, "common", "storage", "filesystem", "chunks_directory")))
                .allSatisfy(path -> assertThat(path).startsWith("/loki/"));

        Map<String, Object> statefulSet = Manifests.render(ModuleFiles.BASE).get("StatefulSet", "loki");
        assertThat(Yaml.maps(statefulSet, "spec", "template", "spec", "containers", "0", "volumeMounts"))
                .anySatisfy(m -> assertThat(m).containsEntry("name", "data").containsEntry("mountPath", "/loki"));
        assertThat(Yaml.text(statefulSet, "spec", "volumeClaimTemplates", "0", "metadata", "name"))
                .isEqualTo("data");
    }

    /** The collector's sidecar beside Loki uses the Service name; apps in other namespaces the stack's FQDN. */
    @Test
    void sidecarsPushToTheLokiService() {
        Manifests base = Manifests.render(ModuleFiles.BASE);
        Manifests app = Manifests.render(ModuleFiles.SIDECAR_FIXTURE);
        String port = Yaml.text(base.get("Service", "loki"), "spec", "ports", "0", "port");

        assertThat(Yaml.text(base.get("ConfigMap", "sightline-log-sidecar"), "data", "LOKI_URL"))
                .isEqualTo("http://loki:" + port);
        assertThat(Yaml.text(app.get("ConfigMap", "sightline-log-sidecar"), "data", "LOKI_URL"))
                .isEqualTo("http://loki." + Manifests.namespace(base.get("Service", "loki")) + ".svc:" + port);
        assertThat(Yaml.text(loki, "server", "http_listen_port")).isEqualTo(port);
    }

    @Test
    void otlpIngestionStoresExactlyTheContractsLabelsAndMetadata() {
        Map<String, Object> otlp = Yaml.map(loki, "limits_config", "otlp_config");
        List<Map<String, Object>> resource = Yaml.maps(otlp, "resource_attributes", "attributes_config");
        assertThat(Yaml.isTrue(otlp, "resource_attributes", "ignore_defaults"))
                .as("Loki's default resource attributes (k8s.pod.name, service.instance.id, ...) are no labels")
                .isTrue();

        Map<String, String> contract = directExportTable();
        assertThat(contract).containsKeys("service.name", "namespace", "pod", "level");
        List<String> labels = new ArrayList<>();
        contract.forEach((attribute, loki) -> {
            List<Map<String, Object>> rules = attribute.equals("level") ? Yaml.maps(otlp, "log_attributes") : resource;
            String expected = loki.startsWith("label ") ? "index_label" : "structured_metadata";
            assertThat(action(rules, attribute)).as(attribute).isEqualTo(expected);
            assertThat(loki).endsWith(" " + attribute.replace('.', '_'));
            if (expected.equals("index_label")) {
                labels.add(attribute.replace('.', '_'));
            }
        });
        assertThat(labels).containsExactlyInAnyOrder("service_name", "namespace", "container", "cluster");

        // What the SDK and Boot add besides: never a label, not stored
        for (String other : List.of(
                "k8s.pod.name", "k8s.namespace.name", "service.instance.id", "telemetry.sdk.name", "host.name")) {
            assertThat(action(resource, other)).as(other).isEqualTo("drop");
        }
        assertThat(action(Yaml.maps(otlp, "log_attributes"), "exception.type")).isEqualTo("drop");
        assertThat(action(Yaml.maps(otlp, "scope_attributes"), "anything")).isEqualTo("drop");
    }

    @Test
    void labelledApplicationNamespacesMayReachLokisOtlpEndpoint() {
        Manifests base = Manifests.render(ModuleFiles.BASE);
        Map<String, Object> policy = base.get("NetworkPolicy", "loki-otlp");
        String port = Yaml.text(base.get("Service", "loki"), "spec", "ports", "0", "port");

        assertThat(Yaml.map(policy, "spec", "podSelector", "matchLabels"))
                .containsExactlyEntriesOf(Map.of("app.kubernetes.io/name", "loki"));
        Map<String, Object> rule = Yaml.maps(policy, "spec", "ingress").get(0);
        List<Map<String, Object>> from = Yaml.maps(rule, "from");
        assertThat(from).hasSize(1);
        assertThat(from.get(0)).containsOnlyKeys("namespaceSelector");
        assertThat(Yaml.map(from.get(0), "namespaceSelector", "matchLabels"))
                .containsExactlyEntriesOf(Map.of("sightline.io/telemetry", "true"));
        assertThat(Yaml.maps(rule, "ports")).singleElement().satisfies(p -> assertThat(String.valueOf(p.get("port")))
                .isEqualTo(port));
        assertThat(ModuleFiles.read(ModuleFiles.REPOSITORY.resolve("docs/telemetry-starter.md")))
                .as("the starter's guide names the label")
                .contains("sightline.io/telemetry: \"true\"");
    }

    /** Loki's {@code actionForAttribute}: first match wins, structured metadata when nothing matches. */
    private static String action(List<Map<String, Object>> rules, String attribute) {
        for (Map<String, Object> rule : rules) {
            Object regex = rule.get("regex");
            if (regex != null
                    && Pattern.compile(regex.toString()).matcher(attribute).find()) {
                return rule.get("action").toString();
            }
            Object names = rule.get("attributes");
            if (names instanceof List<?> list && list.contains(attribute)) {
                return rule.get("action").toString();
            }
        }
        return "structured_metadata";
    }

    /** The direct export's attributes in the contract (section 3): OTLP name to where Loki keeps it. */
    private static Map<String, String> directExportTable() {
        Map<String, String> table = new LinkedHashMap<>();
        Matcher row = Pattern.compile(
                        "(?m)^\\| (?:resource|log) attribute \\| `([^`]+)`[^|]*\\| ([a-z ]+) `([^`]+)` \\|$")
                .matcher(ModuleFiles.read(ModuleFiles.CONTRACT));
        while (row.find()) {
            table.put(row.group(1), row.group(2) + " " + row.group(3));
        }
        return table;
    }
}
