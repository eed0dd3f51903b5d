package io.sightline.local;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.dashboards.Dashboard;
import io.sightline.dashboards.DashboardQueries;
import io.sightline.dashboards.DashboardQuery;
import io.sightline.dashboards.QueryLanguage;
import io.sightline.local.parts.Topology;
import io.sightline.local.process.Executables;
import io.sightline.testsupport.prometheus.PrometheusApi;
import io.sightline.testsupport.tool.Tool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./sightline local --duration 90 --check} end to end, as CI runs it: the launcher in its own JVM with
 * the real demo service jar, real log-sidecar JVMs, a real embedded OpenSearch, the Debian Prometheus and
 * Alertmanager and the project's alert rules. While it runs, every PromQL query of every dashboard (the
 * dashboards module's own extraction, variables set to the local stack's values) must be accepted by its
 * Prometheus, and every panel and variable of the Service overview, JVM and Pipeline dashboards must return data,
 * except those fed by components the local stack does not run ({@link #NOT_LOCAL}); the Containers dashboard's data
 * is the launcher's own stage ("containers dashboard", against the kubelet stand-in). Then every stage of the
 * check must pass, and no child process may be left.
 */
class LocalStackEndToEndIT {

    // long enough for the failure burst (20 s into the traffic) to show in 20 s-aligned subqueries and fire an alert on
    // a busy machine
    private static final int DURATION_SECONDS = 120;
    private static final List<String> DATA_DASHBOARDS =
            List.of("sightline-service", "sightline-jvm", "sightline-pipeline");

    /** Queries that have no data here, and why. */
    private static final Map<Pattern, String> NOT_LOCAL = Map.of(
            Pattern.compile("sightline_event_collector_|sightline_kube_events_total"),
                    "the event-collector needs a Kubernetes API",
            Pattern.compile("\\bloki_"), "no Loki binary runs here",
            Pattern.compile("sightline_sidecar_send_retries_total"), "empty while every send succeeds",
            Pattern.compile("\\bup == 0\\b"), "empty while every target is up (the check asserts that)");

    private static final Pattern PROMETHEUS_URL = Pattern.compile("^  Prometheus +(http://\\S+)", Pattern.MULTILINE);

    @Test
    void wholePipelineWorksAndStopsCleanly() throws Exception {
        Tool.PROMETHEUS.require();
        Tool.ALERTMANAGER.require();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path demoJar = Arrays.stream(classpath.split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith("sightline-demo-service-"))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("sightline-demo-service is not on the test classpath: " + classpath));
        Path workDir = Path.of("target", "local-stack-e2e");
        Path output = Path.of("target", "local-stack-e2e.out");

        Process launcher = new ProcessBuilder(List.of(
                        Executables.currentJava().toString(),
                        "-Xms256m",
                        "-Xmx640m",
                        "-cp",
                        classpath,
                        Main.class.getName(),
                        "--duration",
                        Integer.toString(DURATION_SECONDS),
                        "--check",
                        "--work-dir",
                        workDir.toString(),
                        "--demo-jar",
                        demoJar.toString(),
                        "--rules-dir",
                        Path.of("..", "k8s-monitoring", "rules").toString(),
                        "--cluster-config",
                        Path.of("..", "k8s-monitoring", "base", "prometheus", "prometheus.yml")
                                .toString(),
                        "--dashboards-dir",
                        Path.of("..", "dashboards").toString()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            URI prometheus = await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> runningPrometheus(output, launcher), Optional::isPresent)
                    .orElseThrow();
            checkDashboardQueries(new PrometheusApi(prometheus));
        } finally {
            if (!launcher.waitFor(DURATION_SECONDS + 360, TimeUnit.SECONDS)) {
                List<ProcessHandle> children = launcher.descendants().toList();
                launcher.destroy();
                launcher.waitFor(60, TimeUnit.SECONDS);
                children.forEach(ProcessHandle::destroyForcibly);
                fail("the launcher did not finish within " + (DURATION_SECONDS + 360) + " s; output:\n"
                        + Files.readString(output));
            }
        }
        String text = Files.readString(output);

        assertThat(launcher.exitValue()).as(text).isZero();
        assertThat(text).contains("all stages worked", "sightline local: stopped");
        for (String stage : List.of(
                "processes",
                "traffic",
                "containers dashboard",
                "prometheus scrape",
                "rules",
                "alerts",
                "kubelet",
                "log delivery",
                "log fields",
                "third-party logs")) {
            assertThat(text).containsPattern("ok +" + stage + " ");
        }
        // every child carries the work dir on its command line (Java children as -Dsightline.local.work-dir)
        String mark = workDir.toAbsolutePath().normalize().toString();
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().orElse("").contains(mark))
                        .toList())
                .as("child processes left running")
                .isEmpty();
    }

    /** The Prometheus URL once the launcher printed it and runs traffic; fails at once if the launcher ended. */
    private static Optional<URI> runningPrometheus(Path output, Process launcher) throws IOException {
        String text = Files.readString(output);
        if (!launcher.isAlive()) {
            fail("the launcher ended before the stack ran (exit " + launcher.exitValue() + "):\n" + text);
        }
        Matcher url = PROMETHEUS_URL.matcher(text);
        return text.contains("sightline local: running") && url.find()
                ? Optional.of(URI.create(url.group(1)))
                : Optional.empty();
    }

    private static void checkDashboardQueries(PrometheusApi prometheus) {
        List<Dashboard> dashboards = Dashboard.loadAll();
        assertThat(dashboards).extracting(Dashboard::uid).containsAll(DATA_DASHBOARDS);
        Map<DashboardQuery, String> promql = new LinkedHashMap<>();
        for (Dashboard dashboard : dashboards) {
            Map<String, String> values = new HashMap<>(DashboardQueries.allSelected(dashboard));
            values.put("namespace", Topology.NAMESPACE);
            values.put("application", Topology.APP);
            // what Grafana makes of $__rate_interval for this stack: 4 x its 5 s scrape interval. With the
            // production-like 1m, subquery steps align to whole minutes and a 90 s run may end before one holds data.
            values.put("__rate_interval", "20s");
            for (DashboardQuery query : DashboardQueries.of(dashboard)) {
                if (query.language() == QueryLanguage.PROMQL) {
                    promql.put(query, query.substituted(values));
                }
            }
        }

        List<String> rejected = new ArrayList<>();
        promql.forEach((query, expression) -> {
            PrometheusApi.QueryResult result = query(prometheus, expression);
            if (!result.succeeded()) {
                rejected.add(query + ": " + result.errorType() + " " + result.error());
            }
        });
        assertThat(rejected).as("dashboard queries Prometheus rejected").isEmpty();

        // each must return data at some point of the run (error ratios, say, only once the burst has begun)
        Map<DashboardQuery, String> awaitingData = new LinkedHashMap<>();
        promql.forEach((query, expression) -> {
            if (DATA_DASHBOARDS.contains(query.dashboardUid())
                    && !query.location().startsWith("annotation")
                    && NOT_LOCAL.keySet().stream()
                            .noneMatch(p -> p.matcher(expression).find())) {
                awaitingData.put(query, expression);
            }
        });
        assertThat(awaitingData).as("panels expected to show data").hasSizeGreaterThan(20);
        await().atMost(Duration.ofSeconds(DURATION_SECONDS - 10))
                .pollInterval(Duration.ofSeconds(5))
                .untilAsserted(() -> {
                    awaitingData
                            .entrySet()
                            .removeIf(
                                    query -> query(prometheus, query.getValue()).resultCount() > 0);
                    assertThat(awaitingData.keySet())
                            .as("dashboard panels without data from the local stack")
                            .isEmpty();
                });
    }

    private static PrometheusApi.QueryResult query(PrometheusApi prometheus, String expression) {
        try {
            return prometheus.evaluate(expression);
        } catch (IOException e) {
            throw new AssertionError("Prometheus did not answer " + expression, e);
        }
    }
}
