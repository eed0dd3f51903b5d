package io.sightline.local.parts;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.sightline.local.alerts.AlertWebhookReceiver;
import io.sightline.local.check.AlertBaseline;
import io.sightline.local.check.AlertCheck;
import io.sightline.local.check.CheckReport;
import io.sightline.local.check.RulesCheck;
import io.sightline.local.check.ScrapeCheck;
import io.sightline.local.monitoring.AlertmanagerConfig;
import io.sightline.local.monitoring.PrometheusConfig;
import io.sightline.local.monitoring.ScrapeTarget;
import io.sightline.local.monitoring.ScrapeTargets;
import io.sightline.local.parts.DemoServices.Instance;
import io.sightline.local.process.DaemonThreads;
import io.sightline.local.process.Executables;
import io.sightline.local.process.ManagedProcess;
import io.sightline.testsupport.prometheus.PrometheusApi;
import io.sightline.testsupport.rules.RuleFiles;

/**
 * Prometheus and Alertmanager from PATH (the Debian packages), when installed and not {@code --no-metrics}.
 * Prometheus scrapes the parts started before it (their {@link StackPart#scrapeTargets()}, through file-based
 * service discovery) once they answer, and evaluates the project's alert rules; Alertmanager delivers every alert to
 * a webhook served by the launcher. Without Prometheus the stack runs on and says how to install it.
 */
public final class Monitoring implements StackPart {

    private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(5);
    private static final Duration RULE_WAIT_CAP = Duration.ofSeconds(15);

    private final StackContext context;
    private final DemoServices services;
    private final List<StackPart> scraped;
    private final AlertBaseline alertBaseline = new AlertBaseline();
    private final ScheduledExecutorService scheduler = DaemonThreads.scheduler("local-stack-alert-baseline");
    private final List<ManagedProcess> running = new ArrayList<>();

    private AlertWebhookReceiver webhook;
    private URI alertmanagerUrl;
    private PrometheusApi prometheus;
    private List<ScrapeTarget> targets = List.of();
    private int copiedAlertRules;
    private volatile Instant burstStart;

    /**
     * @param services whose request metrics the check requires from every pod
     * @param scraped the parts whose targets Prometheus scrapes (those started before this one)
     */
    public Monitoring(StackContext context, DemoServices services, List<StackPart> scraped) {
        this.context = context;
        this.services = services;
        this.scraped = List.copyOf(scraped);
    }

    @Override
    public void start() throws IOException {
        if (!context.options().metrics()) {
            return;
        }
        Optional<Path> prometheusBinary = Executables.onPath("prometheus");
        if (prometheusBinary.isEmpty()) {
            context.say("'prometheus' is not on PATH, so this run has no metrics and no alerts.\n"
                    + "  Install it (Debian/Ubuntu): sudo apt-get install -y --no-install-recommends prometheus "
                    + "prometheus-alertmanager");
            return;
        }
        // scrape only what answers, so TargetDown does not fire for a service that is still booting
        scraped.forEach(StackPart::awaitReady);
        List<ScrapeTarget> scrapeTargets = new ArrayList<>();
        scraped.forEach(part -> scrapeTargets.addAll(part.scrapeTargets()));

        Optional<Path> alertmanagerBinary = Executables.onPath("prometheus-alertmanager", "alertmanager");
        if (alertmanagerBinary.isPresent()) {
            webhook = new AlertWebhookReceiver();
            int port = context.ports().preferred(9093);
            ManagedProcess alertmanager = start(
                    "alertmanager",
                    alertmanagerCommand(
                            alertmanagerBinary.get(),
                            writeAlertmanagerConfig(webhook.url()),
                            context.dir("alertmanager", "data"),
                            port));
            alertmanagerUrl = URI.create("http://127.0.0.1:" + port);
            context.readiness()
                    .await(alertmanager, alertmanagerUrl.resolve("/-/ready"), StackContext.TOOL_START_TIMEOUT);
            scrapeTargets.add(Topology.monitoringTarget("alertmanager", port, context.node()));
        } else {
            context.say("'prometheus-alertmanager' is not on PATH: alerts are evaluated but not delivered.\n"
                    + "  Install it (Debian/Ubuntu): sudo apt-get install -y --no-install-recommends "
                    + "prometheus-alertmanager");
        }

        int port = context.ports().preferred(9090);
        scrapeTargets.add(Topology.monitoringTarget("prometheus", port, context.node()));
        ManagedProcess process = start(
                "prometheus",
                prometheusCommand(
                        prometheusBinary.get(),
                        writePrometheusConfig(scrapeTargets),
                        context.dir("prometheus", "data"),
                        port));
        prometheus = new PrometheusApi(context.http().client(), URI.create("http://127.0.0.1:" + port));
        context.readiness().await(process, prometheus.baseUrl().resolve("/-/ready"), StackContext.TOOL_START_TIMEOUT);
        targets = List.copyOf(scrapeTargets);
    }

    private ManagedProcess start(String name, List<String> command) {
        ManagedProcess process = context.supervisor().start(name, command, Map.of());
        running.add(process);
        return process;
    }

    /** Every alert to the launcher's webhook, grouped briefly so an alert of a short run arrives during the run. */
    Path writeAlertmanagerConfig(URI webhookUrl) throws IOException {
        Path config = context.dir("alertmanager").resolve("alertmanager.yml");
        Files.writeString(
                config, new AlertmanagerConfig(webhookUrl, Duration.ofSeconds(1), Duration.ofSeconds(5)).toYaml());
        return config;
    }

    /** {@code prometheus.yml}, the copied rules and the file_sd targets, under {@code <work dir>/prometheus}. */
    Path writePrometheusConfig(List<ScrapeTarget> scrapeTargets) throws IOException {
        Path rulesDir = context.dir("prometheus", "rules");
        Path targetsDir = context.dir("prometheus", "targets");
        copyRules(rulesDir);
        ScrapeTargets.write(targetsDir.resolve("local-stack.json"), scrapeTargets);
        Path config = context.dir("prometheus").resolve("prometheus.yml");
        Files.writeString(
                config,
                new PrometheusConfig(
                                SCRAPE_INTERVAL,
                                SCRAPE_INTERVAL,
                                alertmanagerUrl == null ? null : alertmanagerUrl.getAuthority(),
                                rulesDir,
                                targetsDir)
                        .toYaml());
        return config;
    }

    static List<String> alertmanagerCommand(Path binary, Path config, Path data, int port) {
        return List.of(
                binary.toString(),
                "--config.file=" + config,
                "--storage.path=" + data,
                "--web.listen-address=127.0.0.1:" + port,
                // a single instance: no gossip port
                "--cluster.listen-address=");
    }

    static List<String> prometheusCommand(Path binary, Path config, Path data, int port) {
        return List.of(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + data,
                "--storage.tsdb.retention.time=1d",
                "--web.listen-address=127.0.0.1:" + port);
    }

    private void copyRules(Path target) throws IOException {
        Path source = context.options().rulesDir() != null
                ? context.options().rulesDir()
                : Path.of("k8s-monitoring", "rules");
        if (!Files.isDirectory(source)) {
            context.say("no rule directory " + source.toAbsolutePath() + ": Prometheus runs without alert rules"
                    + " (run from the repository root, or pass --rules-dir)");
            return;
        }
        RuleFiles.CopyResult copied =
                RuleFiles.copy(source, target, context.options().shortenRuleWaits() ? RULE_WAIT_CAP : null);
        copiedAlertRules = copied.alertRules();
        context.say(copied.alertRules() + " alert rules from " + copied.files().size() + " files in " + source
                + (copied.shortenedWaits() > 0
                        ? " (" + copied.shortenedWaits() + " waits capped at " + RULE_WAIT_CAP.toSeconds()
                                + " s for a short run; --keep-rule-waits keeps them)"
                        : ""));
    }

    /**
     * A failure burst begins at {@code startsAt}: the alerts firing then are recorded, and {@code --check} requires
     * a new alert about the demo namespace to reach the webhook after it.
     */
    public void expectBurstAlert(Instant startsAt) {
        burstStart = startsAt;
        if (prometheus != null) {
            long delay = Math.max(0, Duration.between(Instant.now(), startsAt).toMillis());
            scheduler.schedule(() -> alertBaseline.capture(prometheus), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** The running Prometheus; absent when not installed or {@code --no-metrics}. */
    public Optional<PrometheusApi> prometheus() {
        return Optional.ofNullable(prometheus);
    }

    public Optional<URI> alertmanagerUrl() {
        return Optional.ofNullable(alertmanagerUrl);
    }

    /** The alerts Alertmanager last reported firing, for the status line. */
    public List<String> firingAlerts() {
        return webhook == null ? List.of() : webhook.firing();
    }

    @Override
    public List<Url> urls() {
        List<Url> urls = new ArrayList<>();
        prometheus()
                .ifPresent(
                        p -> urls.add(new Url("Prometheus", p.baseUrl() + "   (alerts: " + p.baseUrl() + "/alerts)")));
        alertmanagerUrl().ifPresent(url -> urls.add(new Url("Alertmanager", url.toString())));
        return urls;
    }

    /** "prometheus scrape", "rules" and "alerts"; nothing with {@code --no-metrics}. */
    @Override
    public void check(CheckReport report) {
        if (!context.options().metrics()) {
            return;
        }
        if (prometheus == null) {
            report.failed("prometheus scrape", "not checked: prometheus is not installed (see the start-up message)");
        } else {
            new ScrapeCheck(prometheus, targets)
                    .run(
                            report,
                            Topology.NAMESPACE,
                            services.instances().stream().map(Instance::pod).toList(),
                            Duration.ofSeconds(30));
            new RulesCheck(prometheus).run(report, copiedAlertRules, Duration.ofSeconds(15));
        }
        if (webhook == null || burstStart == null) {
            report.failed("alerts", "not checked: needs Prometheus, Alertmanager, traffic and a failure burst");
        } else {
            new AlertCheck(webhook).run(report, Topology.NAMESPACE, burstStart, alertBaseline, Duration.ofSeconds(60));
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        context.supervisor().stopNewestFirst(running);
        running.clear();
        if (webhook != null) {
            webhook.close();
        }
    }
}
