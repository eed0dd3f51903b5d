package io.sightline.k8s.config;

import java.util.List;
import java.util.Map;

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
 * out-of-order entries are accepted.
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

    @Test
    void sidecarsPushToTheLokiService() {
        Manifests base = Manifests.render(ModuleFiles.BASE);
        String port = Yaml.text(base.get("Service", "loki"), "spec", "ports", "0", "port");

        assertThat(Yaml.text(base.get("ConfigMap", "sightline-log-sidecar"), "data", "LOKI_URL"))
                .isEqualTo("http://loki.monitoring.svc:" + port);
        assertThat(Yaml.text(loki, "server", "http_listen_port")).isEqualTo(port);
    }
}
