package io.sightline.local.monitoring;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grafana's provisioning files for the local stack. No Grafana binary exists on these machines, so this checks the
 * files against Grafana's documented provisioning format (apiVersion 1, datasources with uid/type/url, a file
 * dashboard provider with options.path) and the contract's datasource uids, not by running Grafana.
 */
class GrafanaProvisioningTest {

    @TempDir
    Path dir;

    @Test
    void datasourcesUseTheContractsUidsAndTheLocalUrls() throws Exception {
        GrafanaProvisioning grafana = new GrafanaProvisioning(
                3000,
                URI.create("http://127.0.0.1:9090"),
                URI.create("http://127.0.0.1:9093"),
                URI.create("http://127.0.0.1:3100"),
                Path.of("dashboards"));

        Map<String, Object> file = Yaml.load(grafana.datasourcesYaml());

        assertThat(file.get("apiVersion")).isEqualTo(1);
        List<?> datasources = (List<?>) file.get("datasources");
        assertThat(field(datasources, "uid")).isEqualTo(List.of("prometheus", "alertmanager", "loki"));
        assertThat(field(datasources, "url"))
                .isEqualTo(List.of("http://127.0.0.1:9090", "http://127.0.0.1:9093", "http://127.0.0.1:3100"));
        assertThat(field(datasources, "isDefault")).isEqualTo(List.of(true, false, false));
    }

    @Test
    void withoutLokiOrAlertmanagerOnlyPrometheusIsProvisioned() {
        GrafanaProvisioning grafana =
                new GrafanaProvisioning(3000, URI.create("http://127.0.0.1:9090"), null, null, Path.of("dashboards"));

        List<?> datasources = Yaml.list(Yaml.load(grafana.datasourcesYaml()), "datasources");

        assertThat(field(datasources, "uid")).isEqualTo(List.of("prometheus"));
    }

    @Test
    void dashboardsComeReadOnlyFromTheProjectDirectoryAndGrafanaListensOnLoopback() throws Exception {
        GrafanaProvisioning grafana = new GrafanaProvisioning(
                3123, URI.create("http://127.0.0.1:9090"), null, null, Path.of("..", "dashboards"));

        Path ini = grafana.write(dir);

        Map<String, Object> provider = Yaml.map(
                Yaml.load(Files.readString(dir.resolve("provisioning/dashboards/sightline.yaml"))), "providers", "0");
        assertThat(provider.get("type")).isEqualTo("file");
        assertThat(provider.get("allowUiUpdates")).isEqualTo(false);
        assertThat(((Map<?, ?>) provider.get("options")).get("path"))
                .isEqualTo(
                        Path.of("..", "dashboards").toAbsolutePath().normalize().toString());
        assertThat(dir.resolve("provisioning/datasources/sightline.yaml")).exists();
        assertThat(Files.readString(ini))
                .contains(
                        "http_addr = 127.0.0.1",
                        "http_port = 3123",
                        "provisioning = " + dir.resolve("provisioning"),
                        "org_role = Viewer");
    }

    private static List<Object> field(List<?> items, String key) {
        return items.stream()
                .map(item -> ((Map<?, ?>) item).get(key))
                .map(Object.class::cast)
                .toList();
    }
}
