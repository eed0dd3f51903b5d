package io.sightline.local.parts;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.sightline.local.check.CheckReport;
import io.sightline.local.monitoring.ScrapeTarget;
import io.sightline.local.podlogs.ContainerRef;
import io.sightline.local.podlogs.PodLogTree;
import io.sightline.local.process.ManagedProcess;

/**
 * The log shipper in node mode ({@code SIGHTLINE_MODE=node}, the same program as the sidecars), shipping the
 * {@code /var/log/pods}-shaped tree of {@link ThirdPartyLogs} to the log store as a DaemonSet's agent ships a
 * node's. There is no API server here, so pod metadata is off: {@code service_name} is the container's name. Its
 * check: every line the third-party processes wrote, across the tree's rotations and compressions, is in the store
 * exactly once under its namespace, pod and container.
 */
public final class NodeAgent implements StackPart {

    private static final int PORT = 9096;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final String NAME = "node-agent";
    /** As in k8s-monitoring/node-agent: its namespace, app label and container name. */
    private static final String NAMESPACE = "sightline-node-agent";

    private static final String APP = "sightline-node-agent";
    private static final String CONTAINER = NAME;

    private final StackContext context;
    private final ThirdPartyLogs podLogs;
    private final LogStorePart logStore;
    private final List<ManagedProcess> running = new ArrayList<>();
    private int port;

    public NodeAgent(StackContext context, ThirdPartyLogs podLogs, LogStorePart logStore) {
        this.context = context;
        this.podLogs = podLogs;
        this.logStore = logStore;
    }

    @Override
    public void start() throws IOException {
        port = context.ports().preferred(PORT);
        List<String> command = context.javaCommand("16m", "128m");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LogSidecars.MAIN_CLASS));
        ManagedProcess agent = context.supervisor().start(NAME, command, environment());
        running.add(agent);
        context.readiness()
                .await(agent, URI.create("http://127.0.0.1:" + port + "/healthz"), StackContext.TOOL_START_TIMEOUT);
    }

    Map<String, String> environment() throws IOException {
        Map<String, String> env = new HashMap<>(logStore.store().sidecarEnvironment());
        env.put("SIGHTLINE_MODE", "node");
        env.put("SIGHTLINE_NODE_PODS_DIR", podLogs.tree().root().toString());
        // the tree is new in every run; the agent starts before the processes that write into it
        env.put("SIGHTLINE_NODE_READ_FROM", "beginning");
        env.put("SIGHTLINE_NODE_POD_METADATA", "false");
        env.put("SIGHTLINE_CHECKPOINT_DIR", context.dir(NAME, "checkpoint").toString());
        env.put("SIGHTLINE_METRICS_ADDRESS", "127.0.0.1");
        env.put("SIGHTLINE_METRICS_PORT", Integer.toString(port));
        env.put("NODE_NAME", context.node());
        env.put("POD_NAMESPACE", NAMESPACE);
        env.put("POD_NAME", NAME + "-" + context.node());
        return env;
    }

    @Override
    public List<Url> urls() {
        return port == 0 ? List.of() : List.of(new Url(NAME, "http://127.0.0.1:" + port + "/metrics"));
    }

    /** Scraped as the DaemonSet's pod on this node: container {@code node-agent} in the agent's own namespace. */
    @Override
    public List<ScrapeTarget> scrapeTargets() {
        return port == 0
                ? List.of()
                : List.of(new ScrapeTarget(
                        NAMESPACE,
                        APP,
                        NAME + "-" + context.node(),
                        CONTAINER,
                        context.node(),
                        "127.0.0.1:" + port,
                        "/metrics"));
    }

    /**
     * "third-party logs": run after Prometheus and Alertmanager were stopped (their part is newer and checked
     * first), so their output is complete.
     */
    @Override
    public void check(CheckReport report) {
        PodLogTree tree = podLogs.tree();
        try {
            List<ContainerRef> writing = tree.awaitWritten(DRAIN_TIMEOUT);
            if (!writing.isEmpty()) {
                report.failed(
                        "third-party logs", "still writing after " + DRAIN_TIMEOUT.toSeconds() + " s: " + writing);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.failed("third-party logs", "interrupted");
            return;
        }
        List<PodLogTree.Written> written = tree.written();
        if (written.isEmpty()) {
            if (context.options().metrics()) {
                report.failed("third-party logs", "no third-party process ran (is prometheus installed?)");
            }
            return;
        }
        Instant deadline = Instant.now().plus(DRAIN_TIMEOUT);
        while (true) {
            List<String> counts = new ArrayList<>();
            boolean complete = true;
            boolean duplicates = false;
            try {
                for (PodLogTree.Written w : written) {
                    ContainerRef c = w.container();
                    long stored = logStore.store().count(c.namespace(), c.pod(), c.container());
                    complete &= stored == w.lines();
                    duplicates |= stored > w.lines();
                    counts.add(c.namespace() + "/" + c.pod() + "/" + c.container() + " wrote " + w.lines() + " lines ("
                            + w.rotations() + " rotations), stored " + stored);
                }
            } catch (IOException e) {
                report.failed("third-party logs", "could not count records: " + e.getMessage());
                return;
            }
            String detail = String.join("; ", counts);
            if (duplicates) {
                report.failed("third-party logs", "more stored than written (duplicates): " + detail);
                return;
            }
            if (complete) {
                report.passed("third-party logs", "shipped by the node agent, none lost: " + detail);
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                report.failed("third-party logs", "lines missing after " + DRAIN_TIMEOUT.toSeconds() + " s: " + detail);
                return;
            }
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        }
    }

    @Override
    public void close() {
        context.supervisor().stopNewestFirst(running);
        running.clear();
    }
}
