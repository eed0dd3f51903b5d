package io.sightline.local.parts;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.sightline.local.monitoring.GrafanaProvisioning;
import io.sightline.local.process.Executables;
import io.sightline.local.process.ManagedProcess;
import io.sightline.testsupport.prometheus.PrometheusApi;

/**
 * Grafana, only when a {@code grafana-server} binary happens to be installed (there is no Debian package) and
 * Prometheus runs: provisioned with the contract's datasources pointing at the local Prometheus, Alertmanager and
 * (with {@code --loki-url}) Loki, and the project's dashboards.
 */
public final class Grafana implements StackPart {

    private static final Path PACKAGE_HOME = Path.of("/usr/share/grafana");

    private final StackContext context;
    private final Monitoring monitoring;
    private ManagedProcess process;
    private URI url;

    public Grafana(StackContext context, Monitoring monitoring) {
        this.context = context;
        this.monitoring = monitoring;
    }

    @Override
    public void start() throws IOException {
        Optional<Path> binary = Executables.onPath("grafana-server");
        Optional<PrometheusApi> prometheus = monitoring.prometheus();
        if (binary.isEmpty() || prometheus.isEmpty()) {
            return;
        }
        Path dashboards =
                context.options().dashboardsDir() != null ? context.options().dashboardsDir() : Path.of("dashboards");
        int port = context.ports().preferred(3000);
        Path ini = new GrafanaProvisioning(
                        port,
                        prometheus.get().baseUrl(),
                        monitoring.alertmanagerUrl().orElse(null),
                        context.options().lokiUrl(),
                        dashboards)
                .write(context.dir("grafana"));
        process = context.supervisor().start("grafana", command(binary.get(), ini), Map.of());
        url = URI.create("http://127.0.0.1:" + port);
        context.readiness().await(process, url.resolve("/api/health"), StackContext.TOOL_START_TIMEOUT);
    }

    static List<String> command(Path binary, Path ini) {
        return List.of(binary.toString(), "--homepath=" + home(binary), "--config=" + ini);
    }

    /** The package layout ({@code /usr/share/grafana}), else a tarball's ({@code <home>/bin/grafana-server}). */
    static Path home(Path binary) {
        return Files.isDirectory(PACKAGE_HOME)
                ? PACKAGE_HOME
                : binary.toAbsolutePath().getParent().getParent();
    }

    @Override
    public List<Url> urls() {
        return url == null
                ? List.of()
                : List.of(new Url("Grafana", url + "   (anonymous viewer; dashboards in the Sightline folder)"));
    }

    @Override
    public void close() {
        if (process != null) {
            context.supervisor().stop(process);
        }
    }
}
