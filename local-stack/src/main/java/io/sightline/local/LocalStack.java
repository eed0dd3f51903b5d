package io.sightline.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import io.sightline.local.Topology.Instance;
import io.sightline.local.alerts.AlertWebhookReceiver;
import io.sightline.local.check.AlertBaseline;
import io.sightline.local.check.AlertCheck;
import io.sightline.local.check.CheckReport;
import io.sightline.local.check.LogDeliveryCheck;
import io.sightline.local.check.RulesCheck;
import io.sightline.local.check.ScrapeCheck;
import io.sightline.local.http.JsonHttp;
import io.sightline.local.logstore.EmbeddedOpenSearch;
import io.sightline.local.logstore.ExternalLoki;
import io.sightline.local.logstore.LogStore;
import io.sightline.local.monitoring.AlertmanagerConfig;
import io.sightline.local.monitoring.GrafanaProvisioning;
import io.sightline.local.monitoring.PrometheusConfig;
import io.sightline.local.monitoring.ScrapeTarget;
import io.sightline.local.monitoring.ScrapeTargets;
import io.sightline.local.process.DaemonThreads;
import io.sightline.local.process.Executables;
import io.sightline.local.process.ManagedProcess;
import io.sightline.local.process.Ports;
import io.sightline.local.process.ProcessSupervisor;
import io.sightline.local.process.Readiness;
import io.sightline.local.status.StatusLine;
import io.sightline.local.traffic.TrafficGenerator;
import io.sightline.local.traffic.TrafficStats;
import io.sightline.testsupport.prometheus.PrometheusApi;
import io.sightline.testsupport.rules.RuleFiles;

/**
 * Runs the whole pipeline on one machine: demo service instances writing JSON log files, a log-sidecar per
 * instance shipping them to the log store (embedded OpenSearch, or the user's Loki), Prometheus scraping
 * everything with the Kubernetes labels and evaluating the project's alert rules, Alertmanager delivering to a
 * webhook served here, and a traffic generator with a failure burst. {@link #close()} ends every part.
 */
public final class LocalStack implements AutoCloseable {

    /** The log-sidecar's entry point, started by name from the launcher's classpath. */
    static final String SIDECAR_MAIN_CLASS = "io.sightline.sidecar.Main";

    /** Log record fields (contract section 2) and sidecar metadata (section 3) every stored record must carry. */
    static final List<String> CONTRACT_FIELDS = List.of(
            "@timestamp",
            "level",
            "logger",
            "thread",
            "message",
            "service_name",
            "namespace",
            "pod",
            "container",
            "node");

    private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(5);
    private static final Duration RULE_WAIT_CAP = Duration.ofSeconds(15);
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration TOOL_START_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Below the fast-burn threshold of ServiceAvailabilityBudgetBurn (14.4 x 0.1%), so the alert fires because of
     * the burst, not before it; the canary fails half of its requests, and takes half of the traffic in the burst.
     */
    private static final double FAILURE_RATIO = 0.002;

    private static final double CANARY_FAILURE_RATIO = 0.5;

    private final LaunchOptions options;
    private final PrintStream out;
    private final Ports ports = new Ports();
    private final JsonHttp http = new JsonHttp(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
    private final Readiness readiness = new Readiness(http.client());
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    /** Every demo pod, the canary (when there is a burst) last. */
    private final List<Instance> instances = new ArrayList<>();

    private final Map<Instance, ManagedProcess> services = new LinkedHashMap<>();
    private final String node;

    private WorkDir workDir;
    private ProcessSupervisor supervisor;
    private LogStore logStore;
    private AlertWebhookReceiver webhook;
    private PrometheusApi prometheus;
    private URI alertmanagerUrl;
    private URI grafanaUrl;
    private List<ScrapeTarget> scrapeTargets = List.of();
    private int copiedAlertRules;
    private TrafficGenerator traffic;
    private final AlertBaseline alertBaseline = new AlertBaseline();
    private final ScheduledExecutorService scheduler = DaemonThreads.scheduler("local-stack-scheduler");
    private StatusLine status;
    private boolean closed;

    public LocalStack(LaunchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.node = hostName();
    }

    /** Starts, runs for the duration (or until {@link #requestStop()}), checks if asked; returns the exit code. */
    public int run() throws IOException, InterruptedException {
        start();
        status.start();
        List<ManagedProcess> ended = awaitEnd();
        status.close();
        if (!ended.isEmpty()) {
            for (ManagedProcess process : ended) {
                out.println("sightline local: " + process + " ended on its own with code " + process.exitCode()
                        + "; last output (" + process.outputFile() + "):\n" + process.outputTail(20));
            }
            return 1;
        }
        if (!options.check()) {
            return 0;
        }
        CheckReport report = check();
        out.print(report.render());
        return report.allPassed() ? 0 : 1;
    }

    /** The running Prometheus, absent when it is not installed or {@code --no-metrics}. */
    public Optional<URI> prometheusUrl() {
        return Optional.ofNullable(prometheus).map(PrometheusApi::baseUrl);
    }

    public Optional<URI> alertmanagerUrl() {
        return Optional.ofNullable(alertmanagerUrl);
    }

    public URI logStoreUrl() {
        return logStore.url();
    }

    /** Ends the run early (Ctrl-C): the shutdown hook calls this, then {@link #close()}. */
    public void requestStop() {
        stopRequested.countDown();
    }

    /**
     * Starts every part and the traffic, and returns (no status line, no waiting): for tests that need a running
     * stack, e.g. to run dashboard queries against its Prometheus. {@link #close()} ends it.
     */
    public void start() throws IOException {
        Path demoJar = demoJar();
        requireSidecarOnClasspath();
        workDir = WorkDir.prepare(options.workDir());
        supervisor = new ProcessSupervisor(workDir.dir("processes"));
        out.println("sightline local: work dir " + workDir.root());

        for (int i = 0; i < options.instances(); i++) {
            instances.add(instance(Topology.pod(i), FAILURE_RATIO, 100 * i));
        }
        if (hasBurst()) {
            instances.add(instance(Topology.CANARY_POD, CANARY_FAILURE_RATIO, 900));
        }
        // the services take longest to start: launch them first, start the log store while they boot
        for (Instance instance : instances) {
            services.put(instance, startService(demoJar, instance));
        }
        logStore = startLogStore();
        out.println("sightline local: log store " + logStore.description() + " at " + logStore.url());
        for (Instance instance : instances) {
            readiness.await(startSidecar(instance), instance.sidecarHealthUrl(), TOOL_START_TIMEOUT);
        }
        for (Map.Entry<Instance, ManagedProcess> service : services.entrySet()) {
            readiness.await(service.getValue(), service.getKey().readinessUrl(), SERVICE_START_TIMEOUT);
        }
        out.println("sightline local: " + instances.size() + " demo service instances"
                + (hasBurst() ? " (one a canary)" : "") + " and their log-sidecars are up");

        if (options.metrics()) {
            startMetrics();
            startGrafana();
        }
        startTraffic();
        printUrls();
    }

    private Instance instance(String pod, double failureRatio, int portOffset) throws IOException {
        return new Instance(
                pod,
                failureRatio,
                ports.preferred(8080 + portOffset),
                ports.preferred(8081 + portOffset),
                ports.preferred(9095 + portOffset),
                workDir.dir("logs", pod));
    }

    private boolean hasBurst() {
        return options.requestsPerSecond() > 0 && !options.burstLength().isZero();
    }

    private ManagedProcess startService(Path demoJar, Instance instance) {
        List<String> command = new ArrayList<>(List.of(
                Executables.currentJava().toString(),
                "-Xms64m",
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                workDirMark(),
                "-jar",
                demoJar.toString(),
                "--server.address=127.0.0.1",
                "--server.port=" + instance.httpPort(),
                "--management.server.address=127.0.0.1",
                "--management.server.port=" + instance.managementPort(),
                "--sightline.logging.file.path=" + instance.logFile(),
                "--demo.failure-ratio=" + instance.failureRatio(),
                // Prometheus 2.42 (Debian) fails the whole OpenMetrics scrape when a histogram's _count line carries an
                // exemplar, and the registry writes one for sampled requests: sample none (trace ids stay in the logs)
                "--sightline.tracing.sampling-probability=0.0",
                "--demo.slow-ratio=0.05"));
        return supervisor.start(instance.pod(), command, podEnvironment(instance, Topology.APP_CONTAINER));
    }

    /** Names the run a child JVM belongs to in {@code ps}; the end-to-end test looks for leftovers with it. */
    private String workDirMark() {
        return "-Dsightline.local.work-dir=" + workDir.root();
    }

    /** The Downward API variables a pod's container would get (contract section 1). */
    private Map<String, String> podEnvironment(Instance instance, String container) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("POD_NAMESPACE", Topology.NAMESPACE);
        env.put("POD_NAME", instance.pod());
        env.put("NODE_NAME", node);
        env.put("CONTAINER_NAME", container);
        return env;
    }

    private ManagedProcess startSidecar(Instance instance) {
        // the sidecar reports the container whose logs it ships, as CONTAINER_NAME does in the pod manifest
        Map<String, String> env = podEnvironment(instance, Topology.APP_CONTAINER);
        env.putAll(logStore.sidecarEnvironment());
        env.put("SIGHTLINE_INPUT_GLOBS", instance.logDir().resolve("*.log").toString());
        env.put("SIGHTLINE_CHECKPOINT_DIR", instance.checkpointDir().toString());
        env.put("SIGHTLINE_METRICS_ADDRESS", "127.0.0.1");
        env.put("SIGHTLINE_METRICS_PORT", Integer.toString(instance.sidecarPort()));
        List<String> command = List.of(
                Executables.currentJava().toString(),
                "-Xms16m",
                "-Xmx96m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                workDirMark(),
                "-cp",
                System.getProperty("java.class.path"),
                SIDECAR_MAIN_CLASS);
        return supervisor.start(instance.pod() + "-" + Topology.SIDECAR_CONTAINER, command, env);
    }

    private LogStore startLogStore() throws IOException {
        if (options.lokiUrl() != null) {
            return ExternalLoki.connect(http, options.lokiUrl());
        }
        return EmbeddedOpenSearch.start(workDir.dir("opensearch"), ports.preferred(9200), http);
    }

    private void startMetrics() throws IOException {
        Optional<Path> prometheusBinary = Executables.onPath("prometheus");
        if (prometheusBinary.isEmpty()) {
            out.println(
                    "sightline local: 'prometheus' is not on PATH, so this run has no metrics and no alerts.\n"
                            + "  Install it (Debian/Ubuntu): sudo apt-get install -y --no-install-recommends prometheus prometheus-alertmanager");
            return;
        }
        Optional<Path> alertmanagerBinary = Executables.onPath("prometheus-alertmanager", "alertmanager");
        List<ScrapeTarget> targets = new ArrayList<>(Topology.serviceTargets(instances, node));

        if (alertmanagerBinary.isPresent()) {
            webhook = new AlertWebhookReceiver();
            int port = ports.preferred(9093);
            Path dir = workDir.dir("alertmanager");
            Path config = dir.resolve("alertmanager.yml");
            Files.writeString(
                    config,
                    new AlertmanagerConfig(webhook.url(), Duration.ofSeconds(1), Duration.ofSeconds(5)).toYaml());
            ManagedProcess alertmanager = supervisor.start(
                    "alertmanager",
                    List.of(
                            alertmanagerBinary.get().toString(),
                            "--config.file=" + config,
                            "--storage.path=" + workDir.dir("alertmanager", "data"),
                            "--web.listen-address=127.0.0.1:" + port,
                            "--cluster.listen-address="),
                    Map.of());
            alertmanagerUrl = URI.create("http://127.0.0.1:" + port);
            readiness.await(alertmanager, alertmanagerUrl.resolve("/-/ready"), TOOL_START_TIMEOUT);
            targets.add(Topology.monitoringTarget("alertmanager", port, node));
        } else {
            out.println(
                    "sightline local: 'prometheus-alertmanager' is not on PATH: alerts are evaluated but not delivered.\n"
                            + "  Install it (Debian/Ubuntu): sudo apt-get install -y --no-install-recommends prometheus-alertmanager");
        }

        int port = ports.preferred(9090);
        Path dir = workDir.dir("prometheus");
        Path rulesDir = workDir.dir("prometheus", "rules");
        Path targetsDir = workDir.dir("prometheus", "targets");
        copyRules(rulesDir);
        targets.add(Topology.monitoringTarget("prometheus", port, node));
        ScrapeTargets.write(targetsDir.resolve("local-stack.json"), targets);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
                config,
                new PrometheusConfig(
                                SCRAPE_INTERVAL,
                                SCRAPE_INTERVAL,
                                alertmanagerUrl == null ? null : alertmanagerUrl.getAuthority(),
                                rulesDir,
                                targetsDir)
                        .toYaml());
        ManagedProcess process = supervisor.start(
                "prometheus",
                List.of(
                        prometheusBinary.get().toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + workDir.dir("prometheus", "data"),
                        "--storage.tsdb.retention.time=1d",
                        "--web.listen-address=127.0.0.1:" + port),
                Map.of());
        prometheus = new PrometheusApi(http.client(), URI.create("http://127.0.0.1:" + port));
        readiness.await(process, prometheus.baseUrl().resolve("/-/ready"), TOOL_START_TIMEOUT);
        scrapeTargets = List.copyOf(targets);
    }

    /** Optional: only when a Grafana binary happens to be installed (it is no Debian package). */
    private void startGrafana() throws IOException {
        Optional<Path> binary = Executables.onPath("grafana-server");
        if (binary.isEmpty() || prometheus == null) {
            return;
        }
        Path dashboards = options.dashboardsDir() != null ? options.dashboardsDir() : Path.of("dashboards");
        int port = ports.preferred(3000);
        Path ini = new GrafanaProvisioning(port, prometheus.baseUrl(), alertmanagerUrl, options.lokiUrl(), dashboards)
                .write(workDir.dir("grafana"));
        // the package layout (/usr/share/grafana) or a tarball's (<home>/bin/grafana-server)
        Path home = Files.isDirectory(Path.of("/usr/share/grafana"))
                ? Path.of("/usr/share/grafana")
                : binary.get().toAbsolutePath().getParent().getParent();
        ManagedProcess grafana = supervisor.start(
                "grafana", List.of(binary.get().toString(), "--homepath=" + home, "--config=" + ini), Map.of());
        grafanaUrl = URI.create("http://127.0.0.1:" + port);
        readiness.await(grafana, grafanaUrl.resolve("/api/health"), TOOL_START_TIMEOUT);
    }

    private void copyRules(Path target) throws IOException {
        Path source = options.rulesDir() != null ? options.rulesDir() : Path.of("k8s-monitoring", "rules");
        if (!Files.isDirectory(source)) {
            out.println("sightline local: no rule directory " + source.toAbsolutePath()
                    + ": Prometheus runs without alert rules" + " (run from the repository root, or pass --rules-dir)");
            return;
        }
        RuleFiles.CopyResult copied = RuleFiles.copy(source, target, options.shortenRuleWaits() ? RULE_WAIT_CAP : null);
        copiedAlertRules = copied.alertRules();
        out.println("sightline local: " + copied.alertRules() + " alert rules from "
                + copied.files().size() + " files in " + source
                + (copied.shortenedWaits() > 0
                        ? " (" + copied.shortenedWaits() + " waits capped at " + RULE_WAIT_CAP.toSeconds()
                                + " s for a short run; --keep-rule-waits keeps them)"
                        : ""));
    }

    private void startTraffic() {
        List<URI> regular = instances.stream()
                .filter(i -> !i.pod().equals(Topology.CANARY_POD))
                .map(Instance::baseUrl)
                .toList();
        URI canary = instances.stream()
                .filter(i -> i.pod().equals(Topology.CANARY_POD))
                .map(Instance::baseUrl)
                .findFirst()
                .orElse(null);
        if (options.requestsPerSecond() > 0) {
            traffic = new TrafficGenerator(
                    http.client(),
                    regular,
                    canary,
                    options.requestsPerSecond(),
                    new TrafficGenerator.FailureBurst(options.burstAfter(), options.burstLength()));
            traffic.start();
            if (prometheus != null && hasBurst()) {
                scheduler.schedule(
                        () -> alertBaseline.capture(prometheus),
                        options.burstAfter().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
        status = new StatusLine(
                () -> traffic == null ? new TrafficStats(0, 0, 0, 0, 0, 0) : traffic.stats(),
                instances.stream().map(Instance::sidecarMetricsUrl).toList(),
                () -> webhook == null ? List.of() : webhook.firing(),
                () -> traffic != null && traffic.inBurst(),
                http,
                out,
                System.console() != null);
    }

    private void printUrls() {
        out.println("sightline local: running"
                + (options.duration() == null
                        ? " until Ctrl-C"
                        : " for " + options.duration().toSeconds() + " s"));
        for (Instance instance : instances) {
            out.println("  " + instance.pod() + "   " + instance.baseUrl()
                    + "/api/users/alice/links   metrics http://127.0.0.1:" + instance.managementPort()
                    + "/actuator/prometheus   sidecar " + instance.sidecarMetricsUrl());
        }
        out.println("  log store      " + logStore.url());
        if (prometheus != null) {
            out.println(
                    "  Prometheus     " + prometheus.baseUrl() + "   (alerts: " + prometheus.baseUrl() + "/alerts)");
        }
        if (alertmanagerUrl != null) {
            out.println("  Alertmanager   " + alertmanagerUrl);
        }
        if (grafanaUrl != null) {
            out.println("  Grafana        " + grafanaUrl + "   (anonymous viewer; dashboards in the Sightline folder)");
        }
        if (traffic != null) {
            out.println("  traffic        " + options.requestsPerSecond() + " req/s"
                    + (hasBurst()
                            ? "; failure burst after " + options.burstAfter().toSeconds() + " s for "
                                    + options.burstLength().toSeconds() + " s (" + Topology.CANARY_POD + " fails "
                                    + (int) (100 * CANARY_FAILURE_RATIO)
                                    + "% of requests and takes half of the traffic)"
                            : ""));
        }
    }

    /** @return the child processes that ended on their own (then the run cannot be trusted any more) */
    private List<ManagedProcess> awaitEnd() throws InterruptedException {
        Instant deadline = options.duration() == null ? null : Instant.now().plus(options.duration());
        while (deadline == null || Instant.now().isBefore(deadline)) {
            if (stopRequested.await(1, TimeUnit.SECONDS)) {
                return List.of();
            }
            List<ManagedProcess> ended = supervisor.unexpectedlyEnded();
            // on Ctrl-C the terminal signals the children too; they may end just before the shutdown hook says so
            if (!ended.isEmpty() && stopRequested.getCount() > 0) {
                return ended;
            }
        }
        return List.of();
    }

    CheckReport check() {
        CheckReport report = new CheckReport();
        List<ManagedProcess> ended = supervisor.unexpectedlyEnded();
        if (ended.isEmpty()) {
            report.passed("processes", "every service, sidecar and tool ran until the end");
        } else {
            report.failed("processes", "ended early: " + ended);
        }
        checkTraffic(report);
        if (options.metrics()) {
            checkMetrics(report);
        }
        // the services must stop writing before their files can be compared with the store
        if (traffic != null) {
            traffic.close();
        }
        services.values().forEach(supervisor::stop);
        new LogDeliveryCheck(
                        logStore,
                        Topology.NAMESPACE,
                        instances.stream()
                                .map(i -> new LogDeliveryCheck.Source(i.pod(), i.logDir()))
                                .toList())
                .run(report, CONTRACT_FIELDS, DRAIN_TIMEOUT);
        return report;
    }

    private void checkMetrics(CheckReport report) {
        if (prometheus == null) {
            report.failed("prometheus scrape", "not checked: prometheus is not installed (see the start-up message)");
        } else {
            new ScrapeCheck(prometheus, scrapeTargets)
                    .run(
                            report,
                            Topology.NAMESPACE,
                            instances.stream().map(Instance::pod).toList(),
                            Duration.ofSeconds(30));
            new RulesCheck(prometheus).run(report, copiedAlertRules, Duration.ofSeconds(15));
        }
        if (webhook == null || traffic == null || !hasBurst()) {
            report.failed("alerts", "not checked: needs Prometheus, Alertmanager, traffic and a failure burst");
        } else {
            new AlertCheck(webhook)
                    .run(report, Topology.NAMESPACE, traffic.burstStartsAt(), alertBaseline, Duration.ofSeconds(60));
        }
    }

    private void checkTraffic(CheckReport report) {
        if (traffic == null) {
            report.failed("traffic", "not checked: --rate 0");
            return;
        }
        TrafficStats stats = traffic.stats();
        boolean burstFailed = !hasBurst() || stats.burstFailed() > 0;
        if (stats.sent() - stats.failed() > 0 && burstFailed) {
            report.passed(
                    "traffic",
                    String.format(
                            "%d requests, %d failed (%d of %d during the burst), %d slow, %d skipped",
                            stats.sent(),
                            stats.failed(),
                            stats.burstFailed(),
                            stats.burstSent(),
                            stats.slow(),
                            stats.skipped()));
        } else {
            report.failed(
                    "traffic",
                    String.format(
                            "%d requests, %d failed, %d of %d burst requests failed: the services "
                                    + "did not answer as expected",
                            stats.sent(), stats.failed(), stats.burstFailed(), stats.burstSent()));
        }
    }

    /** Ends every part exactly once, newest first; safe to call from the shutdown hook and the main thread. */
    @Override
    public void close() {
        lifecycle.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            scheduler.shutdownNow();
            if (status != null) {
                status.close();
            }
            if (traffic != null) {
                traffic.close();
            }
            if (supervisor != null) {
                // services first, so their sidecars still ship the last lines; then the rest, newest first
                services.values().forEach(supervisor::stop);
                supervisor.close();
            }
            if (webhook != null) {
                webhook.close();
            }
            if (logStore != null) {
                logStore.close();
            }
        } finally {
            lifecycle.unlock();
        }
    }

    private Path demoJar() throws IOException {
        if (options.demoJar() != null) {
            if (!Files.isRegularFile(options.demoJar())) {
                throw new IllegalArgumentException("--demo-jar " + options.demoJar() + " does not exist");
            }
            return options.demoJar();
        }
        Path target = Path.of("examples", "demo-service", "target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                Optional<Path> jar = files.filter(
                                p -> p.getFileName().toString().matches("sightline-demo-service-.*\\.jar")
                                        && !p.getFileName().toString().matches(".*-(sources|javadoc|plain)\\.jar"))
                        .findFirst();
                if (jar.isPresent()) {
                    return jar.get();
                }
            }
        }
        throw new IllegalArgumentException(
                "the demo service jar is not built: run ./mvnw -B -pl examples/demo-service -am "
                        + "package -DskipTests (./sightline local does this), or pass --demo-jar");
    }

    private static void requireSidecarOnClasspath() {
        try {
            Class.forName(SIDECAR_MAIN_CLASS, false, LocalStack.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("the log-sidecar (" + SIDECAR_MAIN_CLASS + ") is not on the classpath; "
                    + "start the launcher with ./sightline local, which builds it");
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
