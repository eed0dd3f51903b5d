package io.sightline.local.parts;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sightline.local.check.CheckReport;
import io.sightline.local.check.LogDeliveryCheck;
import io.sightline.local.monitoring.ScrapeTarget;
import io.sightline.local.parts.DemoServices.Instance;
import io.sightline.local.process.ManagedProcess;

/**
 * A log-sidecar JVM per demo instance ({@code io.sightline.sidecar.Main} from the launcher's classpath), tailing
 * that instance's log files and shipping to the log store, with the environment the pod manifest gives it. Like
 * a Kubernetes native sidecar it outlives the container it tails: closing it stops the services first, so their
 * last lines are shipped. Its check is the log path end to end: once the services stopped, every line they wrote
 * is in the store exactly once, with the contract's fields.
 */
public final class LogSidecars implements StackPart {

    /** The log-sidecar's entry point, started by name from the launcher's classpath. */
    static final String MAIN_CLASS = "io.sightline.sidecar.Main";

    private static final int PORT = 9095;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    private final StackContext context;
    private final DemoServices services;
    private final LogStorePart logStore;
    private final Map<Instance, Integer> ports = new LinkedHashMap<>();
    private final List<ManagedProcess> running = new ArrayList<>();

    /** @throws IllegalArgumentException when the sidecar is not on the classpath, with how to get it there */
    public LogSidecars(StackContext context, DemoServices services, LogStorePart logStore) {
        this.context = context;
        this.services = services;
        this.logStore = logStore;
        try {
            Class.forName(MAIN_CLASS, false, LogSidecars.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("the log-sidecar (" + MAIN_CLASS + ") is not on the classpath; "
                    + "start the launcher with ./sightline local, which builds it");
        }
    }

    @Override
    public void start() {
        for (Instance instance : services.instances()) {
            int port = context.ports().preferred(PORT + instance.portOffset());
            ports.put(instance, port);
            List<String> command = context.javaCommand("16m", "96m");
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
            ManagedProcess sidecar = context.supervisor()
                    .start(instance.pod() + "-" + Topology.SIDECAR_CONTAINER, command, environment(instance, port));
            running.add(sidecar);
            context.readiness().await(sidecar, url(port, "/healthz"), StackContext.TOOL_START_TIMEOUT);
        }
        context.say(running.size() + " log-sidecars are up");
    }

    Map<String, String> environment(Instance instance, int port) {
        Map<String, String> env = services.podEnvironment(instance);
        env.putAll(logStore.store().sidecarEnvironment());
        env.put("SIGHTLINE_INPUT_GLOBS", instance.logDir().resolve("*.log").toString());
        // next to the logs, as on the shared volume in Kubernetes
        env.put(
                "SIGHTLINE_CHECKPOINT_DIR",
                instance.logDir().resolve(".sightline").toString());
        env.put("SIGHTLINE_METRICS_ADDRESS", "127.0.0.1");
        env.put("SIGHTLINE_METRICS_PORT", Integer.toString(port));
        return env;
    }

    /** Each sidecar's {@code /metrics}, for the status line. */
    public List<URI> metricsUrls() {
        return ports.values().stream().map(port -> url(port, "/metrics")).toList();
    }

    @Override
    public List<Url> urls() {
        return List.of(new Url(
                Topology.SIDECAR_CONTAINER,
                String.join(", ", metricsUrls().stream().map(URI::toString).toList())));
    }

    @Override
    public List<ScrapeTarget> scrapeTargets() {
        return ports.entrySet().stream()
                .map(e -> Topology.demoTarget(
                        e.getKey().pod(), Topology.SIDECAR_CONTAINER, context.node(), e.getValue(), "/metrics"))
                .toList();
    }

    /** "log delivery" and "log fields": the services must stop writing before their files can be compared. */
    @Override
    public void check(CheckReport report) {
        services.close();
        new LogDeliveryCheck(logStore.store(), Topology.NAMESPACE, services.logSources())
                .run(report, LogDeliveryCheck.CONTRACT_FIELDS, DRAIN_TIMEOUT);
    }

    /** Stops the services first (their sidecars still ship the last lines), then the sidecars, newest first. */
    @Override
    public void close() {
        services.close();
        context.supervisor().stopNewestFirst(running);
        running.clear();
    }

    private static URI url(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
