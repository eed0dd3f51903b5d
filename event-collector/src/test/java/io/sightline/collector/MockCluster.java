package io.sightline.collector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sightline.collector.config.CollectorProperties;
import io.sightline.collector.pipeline.CollectorConfiguration;
import io.sightline.collector.pipeline.EventCollector;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Test fixture: a fabric8 {@link KubernetesMockServer} stands in for the API server (there is none on these
 * machines), plus helpers to build collectors against it and read what they wrote. Register it per test
 * ({@code @RegisterExtension final MockCluster cluster = MockCluster.crud();}): it is closed after each test.
 */
public final class MockCluster implements AutoCloseable, AfterEachCallback {

    public static final String SELF_NAMESPACE = "sightline";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        // the build machines are shared and often busy: waits bound correctness checks, they never measure speed
        Awaitility.setDefaultTimeout(Duration.ofSeconds(30));
    }

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private SlowResponses slow;

    private MockCluster(KubernetesMockServer server) {
        this.server = server;
        server.init();
        this.client = server.createClient();
    }

    /** CRUD mode: the mock keeps objects, versions them and serves list and watch like the API server. */
    public static MockCluster crud() {
        return new MockCluster(new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false));
    }

    /**
     * Expectations first (e.g. a 410 watch), CRUD for everything not expected; requests matching {@link #slowDown}
     * are carried out at once but answered late, as by a server that applied a change and then stalled.
     */
    public static MockCluster mixed() {
        Map<ServerRequest, java.util.Queue<ServerResponse>> responses = new HashMap<>();
        SlowResponses slow = new SlowResponses(responses);
        MockCluster cluster =
                new MockCluster(new KubernetesMockServer(new Context(), new MockWebServer(), responses, slow, false));
        cluster.slow = slow;
        return cluster;
    }

    /** From now on, requests matching {@code which} are answered {@code delay} late (mixed mode only). */
    public void slowDown(Predicate<RecordedRequest> which, Duration delay) {
        slow.which = which;
        slow.delay = delay;
    }

    /** "holder" holds the collector's Lease from now on, renewing it as a live replica would. */
    public void holdLease(String holder) {
        takeLease(holder);
        ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor();
        renewer.scheduleWithFixedDelay(() -> takeLease(holder), 300, 300, TimeUnit.MILLISECONDS);
        toClose.add(renewer::shutdownNow);
    }

    private static final class SlowResponses extends KubernetesMixedDispatcher {
        private volatile Predicate<RecordedRequest> which = r -> false;
        private volatile Duration delay = Duration.ZERO;

        SlowResponses(Map<ServerRequest, java.util.Queue<ServerResponse>> responses) {
            super(responses);
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            MockResponse response = super.dispatch(request);
            return which.test(request) ? response.setBodyDelay(delay) : response;
        }
    }

    public KubernetesMockServer server() {
        return server;
    }

    public KubernetesClient client() {
        return client;
    }

    /** A client of its own, e.g. for a second replica that can be cut off alone. */
    public KubernetesClient newClient() {
        KubernetesClient c = server.createClient();
        toClose.add(c);
        return c;
    }

    public static CollectorProperties properties(
            Path output, String api, boolean leaderElection, Duration checkpointInterval, int queueCapacity) {
        return new CollectorProperties(
                true,
                List.of(),
                List.of(),
                "Normal",
                "",
                api,
                Duration.ofHours(1),
                SELF_NAMESPACE,
                500,
                new CollectorProperties.Output(output, queueCapacity, DataSize.ofMegabytes(50), 2),
                new CollectorProperties.Checkpoint(true, "sightline-event-collector-checkpoint", checkpointInterval),
                new CollectorProperties.LeaderElection(
                        leaderElection,
                        "sightline-event-collector",
                        // short enough for quick failovers, long enough for renewals on a busy machine
                        Duration.ofMillis(4000),
                        Duration.ofMillis(3000),
                        Duration.ofMillis(250)),
                DEFAULT_METRICS);
    }

    /** The defaults of {@code sightline.collector.metrics}, as Spring binds them. */
    public static final CollectorProperties.Metrics DEFAULT_METRICS =
            new org.springframework.boot.context.properties.bind.Binder()
                    .bindOrCreate("sightline.collector.metrics", CollectorProperties.Metrics.class);

    /**
     * A started collector, wired by the application's own {@link CollectorConfiguration} with this test's client,
     * clock and properties, and {@code identity} as {@code POD_NAME}; closed with the cluster.
     */
    public Replica start(String identity, KubernetesClient c, CollectorProperties properties, Clock clock) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("replica", Map.of("POD_NAME", identity)));
        context.registerBean(CollectorProperties.class, () -> properties);
        // the test owns the client (a replica "dies" when the test closes it): the context must not close it
        context.registerBean(KubernetesClient.class, () -> c, d -> d.setDestroyMethodName(""));
        context.registerBean(MeterRegistry.class, SimpleMeterRegistry::new);
        context.registerBean(Clock.class, () -> clock);
        context.register(CollectorConfiguration.class);
        context.refresh();
        toClose.add(context);
        return new Replica(
                context,
                context.getBean(EventCollector.class),
                context.getBean(MeterRegistry.class),
                properties.output().path());
    }

    /** A core/v1 event as kubelet would report it. */
    public static Event coreEvent(
            String namespace, String name, String reason, String type, int count, Instant first, Instant last) {
        return new EventBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("Pod")
                .withName(name.split("\\.")[0])
                .withNamespace(namespace)
                .endInvolvedObject()
                .withReason(reason)
                .withType(type)
                .withMessage("Back-off restarting failed container \"app\"")
                .withCount(count)
                .withFirstTimestamp(first.truncatedTo(ChronoUnit.SECONDS).toString())
                .withLastTimestamp(last.truncatedTo(ChronoUnit.SECONDS).toString())
                .withReportingComponent("kubelet")
                .withReportingInstance("node-1")
                .build();
    }

    /** Another holder takes the collector's Lease now (retrying while a replica's renewal conflicts). */
    public void takeLease(String holder) {
        Awaitility.await().ignoreException(KubernetesClientException.class).untilAsserted(() -> {
            Lease lease = client.leases()
                    .inNamespace(SELF_NAMESPACE)
                    .withName("sightline-event-collector")
                    .get();
            lease.getSpec().setHolderIdentity(holder);
            lease.getSpec().setRenewTime(java.time.ZonedDateTime.now());
            client.resource(lease).update();
        });
    }

    public Event createCore(Event event) {
        return client.resource(event).create();
    }

    /** The collector's view of one replica. */
    public record Replica(
            ConfigurableApplicationContext context, EventCollector collector, MeterRegistry registry, Path output)
            implements AutoCloseable {

        /** Graceful stop, as when Kubernetes stops the pod: the application context closes. */
        @Override
        public void close() {
            context.close();
        }

        public List<JsonNode> records() {
            if (!Files.exists(output)) {
                return List.of();
            }
            try {
                return Files.readAllLines(output).stream().map(JSON::readTree).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** {@code uid:count} per record, the identity of an occurrence. */
        public List<String> occurrences() {
            return records().stream()
                    .map(r ->
                            r.get("event_uid").asString() + ":" + r.get("count").asLong())
                    .toList();
        }

        public double counter(String name, String... tags) {
            var search = registry.find(name).tags(tags);
            return search.counters().stream().mapToDouble(c -> c.count()).sum();
        }

        public double kubeEvents(String... tags) {
            return counter("sightline.kube.events", tags);
        }

        public double gauge(String name) {
            var g = registry.find(name).gauge();
            return g == null ? Double.NaN : g.value();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        client.close();
        server.destroy();
    }
}
