package io.sightline.local.parts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.sightline.local.LaunchOptions;
import io.sightline.local.check.LogDeliveryCheck;
import io.sightline.local.monitoring.ScrapeTarget;
import io.sightline.local.process.ManagedProcess;

/**
 * The demo service instances ({@code java -jar} of examples/demo-service with the telemetry starter), each writing
 * JSON logs to its own directory, and the canary when there is a failure burst. {@link #start()} launches them and
 * returns, so the log store starts while they boot; {@link #awaitReady()} waits for their readiness probes.
 */
public final class DemoServices implements StackPart {

    /**
     * Below the fast-burn threshold of ServiceAvailabilityBudgetBurn (14.4 x 0.1%), so the alert fires because of
     * the burst, not before it; the canary fails half of its requests, and takes half of the traffic in the burst.
     */
    static final double FAILURE_RATIO = 0.002;

    static final double CANARY_FAILURE_RATIO = 0.5;
    private static final double SLOW_RATIO = 0.05;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    /**
     * One demo service instance, the app container of a "pod".
     *
     * @param portOffset added to the well-known ports of the pod's containers (8080, 8081, the sidecar's 9095)
     * @param failureRatio the service's {@code demo.failure-ratio}
     */
    public record Instance(
            String pod, int portOffset, double failureRatio, int httpPort, int managementPort, Path logDir) {

        public URI baseUrl() {
            return URI.create("http://127.0.0.1:" + httpPort);
        }

        URI readinessUrl() {
            return URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness");
        }

        URI metricsUrl() {
            return URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus");
        }

        Path logFile() {
            return logDir.resolve("app.log");
        }

        boolean isCanary() {
            return pod.equals(Topology.CANARY_POD);
        }
    }

    private final StackContext context;
    private final Path jar;
    private final List<Instance> instances = new ArrayList<>();
    private final Map<Instance, ManagedProcess> running = new LinkedHashMap<>();
    private boolean ready;

    /** @throws IllegalArgumentException when the demo jar is not there, with how to build it */
    public DemoServices(StackContext context) {
        this.context = context;
        this.jar = locateJar(context.options());
    }

    @Override
    public void start() throws IOException {
        for (int i = 0; i < context.options().instances(); i++) {
            instances.add(instance(Topology.pod(i), 100 * i, FAILURE_RATIO));
        }
        if (context.options().hasBurst()) {
            instances.add(instance(Topology.CANARY_POD, 900, CANARY_FAILURE_RATIO));
        }
        for (Instance instance : instances) {
            running.put(
                    instance, context.supervisor().start(instance.pod(), command(instance), podEnvironment(instance)));
        }
    }

    private Instance instance(String pod, int portOffset, double failureRatio) throws IOException {
        return new Instance(
                pod,
                portOffset,
                failureRatio,
                context.ports().preferred(8080 + portOffset),
                context.ports().preferred(8081 + portOffset),
                context.dir("logs", pod));
    }

    List<String> command(Instance instance) {
        List<String> command = context.javaCommand("64m", "256m");
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "--server.address=127.0.0.1",
                "--server.port=" + instance.httpPort(),
                "--management.server.address=127.0.0.1",
                "--management.server.port=" + instance.managementPort(),
                "--sightline.logging.file.path=" + instance.logFile(),
                "--demo.failure-ratio=" + instance.failureRatio(),
                // Prometheus 2.42 (Debian) fails the whole OpenMetrics scrape when a histogram's _count line carries an
                // exemplar, and the registry writes one for sampled requests: sample none (trace ids stay in the logs)
                "--sightline.tracing.sampling-probability=0.0",
                "--demo.slow-ratio=" + SLOW_RATIO));
        return command;
    }

    /**
     * The Downward API variables a container of the instance's pod would get (contract section 1); the sidecar
     * reports the container whose logs it ships, as {@code CONTAINER_NAME} does in the pod manifest.
     */
    Map<String, String> podEnvironment(Instance instance) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("POD_NAMESPACE", Topology.NAMESPACE);
        env.put("POD_NAME", instance.pod());
        env.put("NODE_NAME", context.node());
        env.put("CONTAINER_NAME", Topology.APP_CONTAINER);
        return env;
    }

    @Override
    public void awaitReady() {
        if (ready) {
            return;
        }
        running.forEach(
                (instance, process) -> context.readiness().await(process, instance.readinessUrl(), START_TIMEOUT));
        ready = true;
        context.say(instances.size() + " demo service instances"
                + (context.options().hasBurst() ? " (one a canary)" : "") + " are up");
    }

    /** Every demo pod, the canary (when there is a burst) last. */
    public List<Instance> instances() {
        return List.copyOf(instances);
    }

    /** Where each instance writes its log files, for the delivery check. */
    List<LogDeliveryCheck.Source> logSources() {
        return instances.stream()
                .map(i -> new LogDeliveryCheck.Source(i.pod(), i.logDir()))
                .toList();
    }

    @Override
    public List<Url> urls() {
        return instances.stream()
                .map(i -> new Url(i.pod(), i.baseUrl() + "/api/users/alice/links   metrics " + i.metricsUrl()))
                .toList();
    }

    @Override
    public List<ScrapeTarget> scrapeTargets() {
        return instances.stream()
                .map(i -> Topology.demoTarget(
                        i.pod(), Topology.APP_CONTAINER, context.node(), i.managementPort(), "/actuator/prometheus"))
                .toList();
    }

    /** Stops the services (gracefully, so their last lines are written); once only, however often it is called. */
    @Override
    public void close() {
        context.supervisor().stopNewestFirst(List.copyOf(running.values()));
        running.clear();
    }

    private static Path locateJar(LaunchOptions options) {
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
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + target, e);
            }
        }
        throw new IllegalArgumentException(
                "the demo service jar is not built: run ./mvnw -B -pl examples/demo-service -am "
                        + "package -DskipTests (./sightline local does this), or pass --demo-jar");
    }
}
