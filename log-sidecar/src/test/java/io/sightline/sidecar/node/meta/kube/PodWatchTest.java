package io.sightline.sidecar.node.meta.kube;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.node.KubernetesApiTest;
import io.sightline.sidecar.node.identity.ContainerIdentities;
import io.sightline.sidecar.node.identity.ContainerIdentities.SkipReason;
import io.sightline.sidecar.node.identity.ContainerIdentity;
import io.sightline.sidecar.node.meta.PodMetadata;
import io.sightline.sidecar.node.meta.PodMetadataCache;
import io.sightline.sidecar.node.meta.PodMetadataSource;
import io.sightline.sidecar.node.path.OwnPod;
import io.sightline.sidecar.node.path.PodLogPath;
import io.sightline.sidecar.node.path.PodLogPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pod watch against fabric8's mock API server in CRUD mode (it stores pods, versions them and serves
 * list and watch with field selectors like the API server; there is no real one on these machines). The
 * watch uses the shipper's own client (JDK HTTP), not the mock's.
 */
@KubernetesApiTest
class PodWatchTest {

    private static final Duration GRACE = Duration.ofMinutes(5);

    static {
        // shared, busy build machines: waits bound correctness checks, they never measure speed
        org.awaitility.Awaitility.setDefaultTimeout(Duration.ofSeconds(30));
    }

    private KubernetesMockServer server;
    private KubernetesClient admin;
    private final AtomicLong now = new AtomicLong();
    private final ByteArrayOutputStream diagnosticsOut = new ByteArrayOutputStream();
    private final Diagnostics diagnostics =
            new Diagnostics(new PrintStream(diagnosticsOut, true, StandardCharsets.UTF_8), Diagnostics.Level.INFO);
    private PodMetadataSource source;

    @BeforeEach
    void startServer() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), NodeFieldCrudDispatcher.create(), false);
        server.init();
        admin = server.createClient();
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        admin.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // the mock waits a fixed time for the server's connections to close, which a loaded build machine can
            // exceed; the test's assertions have run, and the server's port is released with the JVM
            if (!String.valueOf(e.getMessage()).contains("Unable to close MockWebServer")) {
                throw e;
            }
        }
    }

    @Test
    void podsOfThisNodeGiveServiceNamesAndOtherNodesPodsAreNeverListed() throws InterruptedException {
        Pod checkout = create("shop", "checkout-1", "node-1", Map.of("app.kubernetes.io/name", "checkout"), Map.of());
        Pod legacy = create("shop", "legacy-1", "node-1", Map.of("app", "legacy"), Map.of());
        Pod elsewhere = create("shop", "elsewhere-1", "node-2", Map.of("app", "elsewhere"), Map.of());

        source = watch("node-1", 100);

        await().until(source::ready);
        assertThat(source.find(uid(checkout)))
                .get()
                .extracting(p -> p.serviceName("app"))
                .isEqualTo("checkout");
        assertThat(source.find(uid(legacy)))
                .get()
                .extracting(p -> p.serviceName("app"))
                .isEqualTo("legacy");
        assertThat(source.find(uid(elsewhere))).isEmpty();
        assertThat(requestedPaths())
                .filteredOn(path -> path.startsWith("/api/v1/pods"))
                .isNotEmpty()
                .allSatisfy(path -> assertThat(path).contains("fieldSelector=spec.nodeName%3Dnode-1"));
    }

    @Test
    void laterChangesToLabelsAndAnnotationsArrive() {
        Pod pod = create("shop", "checkout-1", "node-1", Map.of("app", "v1"), Map.of());
        source = watch("node-1", 100);
        await().until(() -> source.find(uid(pod)).isPresent());
        await().until(source::ready); // the mock replays no events to a watch opened later

        admin.pods().inNamespace("shop").withName("checkout-1").edit(p -> new PodBuilder(p)
                .editMetadata()
                .addToLabels("app", "v2")
                .addToAnnotations("sightline.io/logs.app", "exclude")
                .endMetadata()
                .build());

        await().until(() -> source.find(uid(pod)).map(p -> p.excludes("app")).orElse(false));
        assertThat(source.find(uid(pod)).orElseThrow().serviceName("app")).isEqualTo("v2");
        ContainerIdentities identities = new ContainerIdentities("node-1", new OwnPod(null, null), source);
        assertThat(identities.resolve(path(pod, "app")).skipReason()).isEqualTo(SkipReason.EXCLUDED_BY_ANNOTATION);
        assertThat(identities.resolve(path(pod, "log-sidecar")).shipped()).isTrue();
    }

    @Test
    void aPodAnnotatedExcludeIsSkippedWhole() {
        Pod pod = create("shop", "with-sidecar", "node-1", Map.of(), Map.of("sightline.io/logs", "exclude"));
        source = watch("node-1", 100);
        ContainerIdentities identities = new ContainerIdentities("node-1", new OwnPod(null, null), source);

        await().until(() -> !identities.resolve(path(pod, "app")).shipped());
        assertThat(identities.resolve(path(pod, "log-sidecar")).skipReason())
                .isEqualTo(SkipReason.EXCLUDED_BY_ANNOTATION);
    }

    @Test
    void aDeletedPodIsStillKnownForTheGracePeriod() {
        Pod gone = create("shop", "gone-1", "node-1", Map.of("app", "gone"), Map.of());
        PodMetadataCache cache = new PodMetadataCache(100, GRACE, now::get);
        source = KubePodMetadata.connect(admin.getConfiguration(), "node-1", cache, diagnostics);
        await().until(() -> source.find(uid(gone)).isPresent());
        // the mock sends events only to watches open at the time (the API server would replay them from the
        // listed resourceVersion): change nothing before the watch is open
        await().until(source::ready);

        admin.pods().inNamespace("shop").withName("gone-1").delete();

        await().until(() -> cache.isDeleted(uid(gone)));
        assertThat(source.find(uid(gone)))
                .get()
                .extracting(p -> p.serviceName("app"))
                .isEqualTo("gone");
        now.addAndGet(GRACE.toNanos());
        assertThat(source.find(uid(gone))).isEmpty();
    }

    @Test
    void theCacheHoldsAtMostItsBoundOfPods() {
        source = watch("node-1", 3);
        await().until(source::ready); // every pod below then arrives through the watch
        Pod last = null;
        for (int i = 0; i < 6; i++) {
            last = create("shop", "pod-" + i, "node-1", Map.of("app", "s" + i), Map.of());
        }
        Pod newest = last;

        await().until(() -> source.find(uid(newest)).isPresent());
        long known = java.util.stream.IntStream.range(0, 6)
                .mapToObj(i ->
                        admin.pods().inNamespace("shop").withName("pod-" + i).get())
                .filter(p -> source.find(uid(p)).isPresent())
                .count();
        assertThat(known).isEqualTo(3);
    }

    @Test
    void aMirrorPodIsFoundByTheUidInTheStaticPodsLogDirectory() {
        String staticUid = "4c2f6a1e9b7d3c5a8e0f1b2d4c6a8e0f";
        create(
                "kube-system",
                "etcd-node-1",
                "node-1",
                Map.of("app", "etcd"),
                Map.of("kubernetes.io/config.mirror", staticUid));
        source = watch("node-1", 100);
        PodLogPath path = new PodLogPaths(Path.of("/var/log/pods"))
                .parse(Path.of("/var/log/pods/kube-system_etcd-node-1_" + staticUid + "/etcd/0.log"))
                .orElseThrow();
        ContainerIdentities identities = new ContainerIdentities("node-1", new OwnPod(null, null), source);

        await().until(() -> identities.resolve(path).identity().enriched());
        assertThat(identities.resolve(path).identity().serviceName()).isEqualTo("etcd");
    }

    @Test
    void whenTheApiServerCannotBeReachedLinesFlowWithThePathOnlyIdentity() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Config unreachable = new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + closedPort)
                .withRequestRetryBackoffLimit(0)
                .build();
        source =
                KubePodMetadata.connect(unreachable, "node-1", new PodMetadataCache(100, GRACE, now::get), diagnostics);
        ContainerIdentities identities = new ContainerIdentities("node-1", new OwnPod(null, null), source);
        PodLogPath path = new PodLogPaths(Path.of("/var/log/pods"))
                .parse(Path.of("/var/log/pods/shop_checkout-1_0f4b2c3a-1d2e-4f5a-9b8c-7d6e5f4a3b2c/app/0.log"))
                .orElseThrow();

        ContainerIdentity identity = identities.resolve(path).identity();

        assertThat(identity)
                .isEqualTo(new ContainerIdentity(
                        "shop",
                        "checkout-1",
                        "0f4b2c3a-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
                        "app",
                        0,
                        "node-1",
                        "app",
                        false));
        assertThat(source.ready()).isFalse();
        await().until(() -> diagnosticsOut.toString(StandardCharsets.UTF_8).contains("listing/watching"));
        assertThat(diagnosticsOut.toString(StandardCharsets.UTF_8)).contains("\"level\":\"WARN\"");
    }

    @Test
    void whatWasCachedKeepsAnsweringWhenTheApiServerGoesAway() {
        Pod pod = create("shop", "checkout-1", "node-1", Map.of("app", "checkout"), Map.of());
        source = watch("node-1", 100);
        await().until(() -> source.find(uid(pod)).isPresent());

        server.destroy();

        await().until(() -> !source.ready());
        assertThat(source.find(uid(pod)))
                .get()
                .extracting(p -> p.serviceName("app"))
                .isEqualTo("checkout");
    }

    @Test
    void aNodeNameIsRequired() {
        Config config = admin.getConfiguration();
        PodMetadataCache cache = new PodMetadataCache(10, GRACE, now::get);

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> KubePodMetadata.connect(config, " ", cache, diagnostics))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NODE_NAME");
    }

    private PodMetadataSource watch(String node, int maxPods) {
        return KubePodMetadata.connect(
                admin.getConfiguration(), node, new PodMetadataCache(maxPods, GRACE, now::get), diagnostics);
    }

    private Pod create(
            String namespace, String name, String node, Map<String, String> labels, Map<String, String> annotations) {
        return admin.resource(new PodBuilder()
                        .withNewMetadata()
                        .withNamespace(namespace)
                        .withName(name)
                        .withLabels(labels)
                        .withAnnotations(annotations)
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName(node)
                        .addNewContainer()
                        .withName("app")
                        .withImage("example/app:1")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
    }

    private java.util.List<String> requestedPaths() throws InterruptedException {
        java.util.List<String> paths = new java.util.ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
            paths.add(request.getPath());
        }
        return paths;
    }

    private static String uid(Pod pod) {
        return PodMetadataSourceUids.uid(pod);
    }

    private static PodLogPath path(Pod pod, String container) {
        return new PodLogPaths(Path.of("/var/log/pods"))
                .parse(Path.of("/var/log/pods/" + pod.getMetadata().getNamespace() + "_"
                        + pod.getMetadata().getName() + "_" + pod.getMetadata().getUid() + "/" + container + "/0.log"))
                .orElseThrow();
    }

    /** The uid a pod's log directory carries. */
    private static final class PodMetadataSourceUids {
        static String uid(Pod pod) {
            return PodMetadata.of(
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(),
                            pod.getMetadata().getUid(),
                            pod.getMetadata().getLabels(),
                            pod.getMetadata().getAnnotations())
                    .logUid();
        }
    }
}
