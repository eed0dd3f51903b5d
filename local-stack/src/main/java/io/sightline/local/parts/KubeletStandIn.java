package io.sightline.local.parts;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sightline.local.check.CheckReport;
import io.sightline.local.kubelet.BlockDevice;
import io.sightline.local.kubelet.KubeletMetrics;
import io.sightline.local.kubelet.PodContainer;
import io.sightline.local.kubelet.ProcFs;
import io.sightline.local.kubelet.VolumeStats;
import io.sightline.local.monitoring.KubeletTarget;

/**
 * A kubelet stand-in, protocol-exact for what the cluster's kubelet jobs scrape: serves, on 127.0.0.1, the real
 * kubelet's {@code /metrics/cadvisor}, {@code /metrics/resource} and {@code /metrics} with its family names, label
 * names, sample timestamps and text format ({@link KubeletMetrics}, contract section 4), for the processes the stack
 * runs, each labelled as the container of the pod it stands for ({@link StackPart#containers()} of every part, asked
 * at each scrape, so Prometheus and Alertmanager show up once they run), and for the directories that stand for
 * their PersistentVolumeClaims. The values are the processes' own, read from {@code /proc} and their cgroup at each
 * scrape ({@link ProcFs}), and the volumes' file systems ({@link VolumeStats}). Prometheus scrapes it with the
 * cluster's kubelet jobs, relabeling and drops unchanged ({@link Monitoring}). There is no kubelet binary to run
 * here; what it does not serve (HTTPS with a token, the pods' own cgroups, families nothing reads) is named in
 * {@link KubeletMetrics} and docs/local-stack.md.
 */
public final class KubeletStandIn implements StackPart {

    private static final int PORT = 10250;

    private final StackContext context;
    private final List<StackPart> parts;
    private final ProcFs procFs;
    private final AtomicInteger cadvisorScrapes = new AtomicInteger();
    private final AtomicInteger failedScrapes = new AtomicInteger();
    private volatile List<KubeletMetrics.Reading> lastReadings = List.of();

    private HttpServer server;
    private String device;

    /**
     * @param parts every part of the stack, also those added after this one (the list is read at each scrape)
     */
    public KubeletStandIn(StackContext context, List<StackPart> parts) {
        this(context, parts, ProcFs.system());
    }

    KubeletStandIn(StackContext context, List<StackPart> parts, ProcFs procFs) {
        this.context = context;
        this.parts = parts;
        this.procFs = procFs;
    }

    @Override
    public void start() throws IOException {
        server = HttpServer.create(
                new InetSocketAddress(
                        InetAddress.getLoopbackAddress(), context.ports().preferred(PORT)),
                0);
        // the processes' files are all under the work dir, so on its device
        device = BlockDevice.of(context.workDir(), Path.of("/sys/dev/block"));
        serve("/metrics/cadvisor", () -> {
            List<KubeletMetrics.Reading> readings = readings();
            lastReadings = readings;
            cadvisorScrapes.incrementAndGet();
            return KubeletMetrics.cadvisor(readings, device, System.currentTimeMillis());
        });
        serve(
                "/metrics/resource",
                () -> KubeletMetrics.resource(procFs.node(), readings(), System.currentTimeMillis()));
        serve("/metrics", () -> {
            List<PodContainer> containers = stackContainers();
            return KubeletMetrics.kubelet(containers, claims(containers));
        });
        server.start();
    }

    /** Answers exactly {@code path} (contexts match by prefix) with the body, or 500 naming what failed. */
    private void serve(String path, Supplier<String> body) {
        server.createContext(path, exchange -> {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals(path)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                String text;
                int status = 200;
                try {
                    text = body.get();
                } catch (RuntimeException e) {
                    // one failed scrape (up = 0), never a dead endpoint
                    failedScrapes.incrementAndGet();
                    text = "kubelet stand-in: " + e;
                    status = 500;
                }
                respond(exchange, status, text);
            }
        });
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", KubeletMetrics.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** What every part runs now, as containers. */
    private List<PodContainer> stackContainers() {
        List<PodContainer> all = new ArrayList<>();
        for (StackPart part : List.copyOf(parts)) {
            all.addAll(part.containers());
        }
        return all;
    }

    /** The stats of every container whose process still runs (one that just ended is left out, as it would be). */
    private List<KubeletMetrics.Reading> readings() {
        List<KubeletMetrics.Reading> readings = new ArrayList<>();
        for (PodContainer container : stackContainers()) {
            procFs.process(container.pid())
                    .ifPresent(stats -> readings.add(new KubeletMetrics.Reading(container, stats)));
        }
        return readings;
    }

    /** Every claim the containers mount, once, with its file system's stats; one that cannot be read is left out. */
    private static List<KubeletMetrics.ClaimReading> claims(List<PodContainer> containers) {
        Map<String, KubeletMetrics.ClaimReading> claims = new LinkedHashMap<>();
        for (PodContainer container : containers) {
            container.claims().forEach((claim, dir) -> {
                String key = container.namespace() + "/" + claim;
                if (!claims.containsKey(key)) {
                    VolumeStats.of(dir)
                            .ifPresent(stats -> claims.put(
                                    key, new KubeletMetrics.ClaimReading(container.namespace(), claim, stats)));
                }
            });
        }
        return List.copyOf(claims.values());
    }

    /** Whether any container reported at the last scrape runs with a cgroup memory limit. */
    public boolean anyMemoryLimit() {
        return lastReadings.stream().anyMatch(r -> r.stats().memoryLimitBytes() > 0);
    }

    /** Whether any container reported at the last scrape runs with a cgroup CPU quota. */
    public boolean anyCpuQuota() {
        return lastReadings.stream().anyMatch(r -> r.stats().cpu().isPresent());
    }

    private Optional<String> baseUrl() {
        return Optional.ofNullable(server)
                .map(s -> "http://127.0.0.1:" + s.getAddress().getPort());
    }

    @Override
    public List<Url> urls() {
        return baseUrl()
                .map(url -> List.of(new Url("kubelet stand-in", url + "/metrics/cadvisor")))
                .orElse(List.of());
    }

    @Override
    public List<KubeletTarget> kubeletTargets() {
        return server == null
                ? List.of()
                : List.of(new KubeletTarget(
                        context.node(), "127.0.0.1:" + server.getAddress().getPort()));
    }

    /**
     * "kubelet": Prometheus scraped the cAdvisor endpoint, every scrape was answered, and the last one reported the
     * stack's containers. Nothing with {@code --no-metrics}, where nothing scrapes it.
     */
    @Override
    public void check(CheckReport report) {
        if (!context.options().metrics()) {
            return;
        }
        List<KubeletMetrics.Reading> readings = lastReadings;
        if (cadvisorScrapes.get() == 0 || readings.isEmpty()) {
            report.failed(
                    "kubelet",
                    "not checked: Prometheus never scraped the stand-in's /metrics/cadvisor with containers in it");
        } else if (failedScrapes.get() > 0) {
            report.failed("kubelet", failedScrapes.get() + " scrapes answered with an error (see the launcher log)");
        } else {
            report.passed(
                    "kubelet",
                    cadvisorScrapes.get() + " cAdvisor scrapes, " + readings.size() + " containers ("
                            + String.join(
                                    ", ",
                                    readings.stream()
                                            .map(r -> r.container().pod() + "/"
                                                    + r.container().container())
                                            .toList())
                            + "); memory limit: " + (anyMemoryLimit() ? "yes" : "none") + ", CPU quota: "
                            + (anyCpuQuota() ? "yes" : "none"));
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
