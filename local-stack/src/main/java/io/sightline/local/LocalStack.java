package io.sightline.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sightline.local.check.CheckReport;
import io.sightline.local.http.JsonHttp;
import io.sightline.local.parts.ContainersDashboard;
import io.sightline.local.parts.DemoServices;
import io.sightline.local.parts.Grafana;
import io.sightline.local.parts.KubeletStandIn;
import io.sightline.local.parts.LogSidecars;
import io.sightline.local.parts.LogStorePart;
import io.sightline.local.parts.Monitoring;
import io.sightline.local.parts.NodeAgent;
import io.sightline.local.parts.StackContext;
import io.sightline.local.parts.StackPart;
import io.sightline.local.parts.StackParts;
import io.sightline.local.parts.ThirdPartyLogs;
import io.sightline.local.parts.Traffic;
import io.sightline.local.process.ManagedProcess;
import io.sightline.local.process.Ports;
import io.sightline.local.process.ProcessSupervisor;
import io.sightline.local.process.Readiness;
import io.sightline.local.status.StatusLine;
import io.sightline.testsupport.prometheus.PrometheusApi;

/**
 * Runs the whole pipeline on one machine, as the parts {@link #assemble() assembled} here: demo service instances
 * writing JSON log files, a log-sidecar per instance shipping them to the log store (embedded OpenSearch, or the
 * user's Loki), a kubelet stand-in reporting the processes as containers, Prometheus and Alertmanager, Grafana when
 * installed, and traffic with a failure burst. This class
 * prepares the work dir, starts the parts, shows the status line until the run ends, runs {@code --check} and
 * closes everything.
 */
public final class LocalStack implements AutoCloseable {

    private final LaunchOptions options;
    private final PrintStream out;
    private final StackContext context;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Object lifecycle = new Object();

    private StackParts parts;
    private LogStorePart logStore;
    private LogSidecars sidecars;
    private Monitoring monitoring;
    private Traffic traffic;
    private StatusLine status;
    private boolean closed;

    public LocalStack(LaunchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        Path workDir = options.workDir().toAbsolutePath().normalize();
        JsonHttp http = new JsonHttp(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
        this.context = new StackContext(
                options,
                workDir,
                new ProcessSupervisor(workDir.resolve("processes")),
                new Ports(),
                http,
                new Readiness(http.client()),
                hostName(),
                out);
    }

    /**
     * The parts in start order, each given the parts it needs. A new part is one more line here, before
     * {@code Monitoring} when Prometheus is to scrape it (see {@link StackPart}).
     */
    private List<StackPart> assemble() {
        List<StackPart> all = new ArrayList<>();
        DemoServices services = add(all, new DemoServices(context));
        logStore = add(all, new LogStorePart(context));
        sidecars = add(all, new LogSidecars(context, services, logStore));
        // reports the containers of every part, also of those added after it
        KubeletStandIn kubelet = add(all, new KubeletStandIn(context, all));
        ThirdPartyLogs podLogs = add(all, new ThirdPartyLogs(context));
        add(all, new NodeAgent(context, podLogs, logStore));
        monitoring = add(all, new Monitoring(context, services, all));
        add(all, new Grafana(context, monitoring));
        add(all, new ContainersDashboard(context, monitoring, kubelet));
        traffic = add(all, new Traffic(context, services, monitoring));
        return all;
    }

    private static <P extends StackPart> P add(List<StackPart> parts, P part) {
        parts.add(part);
        return part;
    }

    /** Starts, runs for the duration (or until {@link #requestStop()}), checks if asked; returns the exit code. */
    public int run() throws IOException, InterruptedException {
        start();
        synchronized (lifecycle) {
            status = new StatusLine(
                    traffic::stats,
                    sidecars.metricsUrls(),
                    monitoring::firingAlerts,
                    traffic::inBurst,
                    context.http(),
                    out,
                    System.console() != null);
            if (!closed) {
                status.start();
            }
        }
        List<ManagedProcess> ended = awaitEnd();
        status.close();
        if (!ended.isEmpty()) {
            for (ManagedProcess process : ended) {
                context.say(process + " ended on its own with code " + process.exitCode() + "; last output ("
                        + process.outputFile() + "):\n" + process.outputTail(20));
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

    /**
     * Starts every part and the traffic, and returns (no status line, no waiting): for tests that need a running
     * stack, e.g. to run dashboard queries against its Prometheus. {@link #close()} ends it.
     */
    public void start() throws IOException {
        StackParts assembled;
        synchronized (lifecycle) {
            if (closed || parts != null) {
                throw new IllegalStateException("a local stack starts once, and not after close()");
            }
            // the parts' constructors check what the user must fix before anything is touched
            parts = assembled = new StackParts(assemble(), System.err);
        }
        WorkDir.prepare(context.workDir());
        context.say("work dir " + context.workDir());
        assembled.start();
        context.say("running"
                + (options.duration() == null
                        ? " until Ctrl-C"
                        : " for " + options.duration().toSeconds() + " s"));
        for (StackPart.Url url : assembled.urls()) {
            out.printf("  %-20s %s%n", url.name(), url.text());
        }
    }

    /** The running Prometheus, absent when it is not installed or {@code --no-metrics}. */
    public Optional<URI> prometheusUrl() {
        return monitoring == null ? Optional.empty() : monitoring.prometheus().map(PrometheusApi::baseUrl);
    }

    public Optional<URI> alertmanagerUrl() {
        return monitoring == null ? Optional.empty() : monitoring.alertmanagerUrl();
    }

    public URI logStoreUrl() {
        return logStore.store().url();
    }

    /** Ends the run early (Ctrl-C): the shutdown hook calls this, then {@link #close()}. */
    public void requestStop() {
        stopRequested.countDown();
    }

    /** @return the child processes that ended on their own (then the run cannot be trusted any more) */
    private List<ManagedProcess> awaitEnd() throws InterruptedException {
        Instant deadline = options.duration() == null ? null : Instant.now().plus(options.duration());
        while (deadline == null || Instant.now().isBefore(deadline)) {
            if (stopRequested.await(1, TimeUnit.SECONDS)) {
                return List.of();
            }
            List<ManagedProcess> ended = context.supervisor().unexpectedlyEnded();
            // on Ctrl-C the terminal signals the children too; they may end just before the shutdown hook says so
            if (!ended.isEmpty() && stopRequested.getCount() > 0) {
                return ended;
            }
        }
        return List.of();
    }

    /** Every stage of {@code --check}: the processes, then the parts' own, newest part first (see StackPart#check). */
    CheckReport check() {
        CheckReport report = new CheckReport();
        List<ManagedProcess> ended = context.supervisor().unexpectedlyEnded();
        if (ended.isEmpty()) {
            report.passed("processes", "every service, sidecar and tool ran until the end");
        } else {
            report.failed("processes", "ended early: " + ended);
        }
        parts.checkAndClose(report);
        return report;
    }

    /**
     * Ends every part exactly once, newest first, then any child process a part left behind; safe to call from the
     * shutdown hook and the main thread (the second caller waits until everything has ended).
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (status != null) {
                status.close();
            }
            if (parts != null) {
                parts.close();
            }
            context.supervisor().close();
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
