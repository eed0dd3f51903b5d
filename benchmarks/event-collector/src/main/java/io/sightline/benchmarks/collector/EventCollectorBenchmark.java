package io.sightline.benchmarks.collector;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.sightline.collector.EventCollectorApplication;
import io.sightline.collector.pipeline.EventCollector;
import io.sightline.collector.watch.EventInformers;
import io.sightline.collector.watch.EventNormalizer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two measurements of the collector's notification path (what the informer's handler does for each watch
 * notification: normalise, filter, decide the occurrence, count, enqueue; then the writer thread formats and
 * writes the JSON line):
 * <ul>
 * <li>{@code rate}: sustained notifications per second to the output file, each parsed from its JSON as the
 * watch delivers it, every notification a new occurrence (5,000 events whose counts keep rising: the worst case, each one becomes a record). The harness
 * waits while the hand-off queue is nearly full, so nothing is dropped and the rate is what reaches the file.</li>
 * <li>{@code heap}: live heap after a burst of 20,000 new events, including the informer's reduced store
 * holding all 20,000 and the checkpoint state, measured after {@code System.gc()}.</li>
 * <li>{@code relist}: heap of listing a large cluster, in pages or in one response (see {@link #relist}).</li>
 * </ul>
 * Usage: {@code EventCollectorBenchmark rate <warmup-s> <measure-s>}, {@code EventCollectorBenchmark heap} or
 * {@code EventCollectorBenchmark relist <port> <page-size> <events>}.
 * fabric8's mock server (empty) stands in for the API server, so the informer and checkpoint run as usual.
 */
public final class EventCollectorBenchmark {

    private static final int DISTINCT_EVENTS = 5_000;
    private static final int BURST = 20_000;
    private static final int QUEUE = 10_000;
    private static final String COUNT_ONE = "\"count\":1,";

    private EventCollectorBenchmark() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "rate";
        if (mode.equals("relist")) {
            relist(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        Path dir = Files.createTempDirectory("event-collector-bench");
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        try (ConfigurableApplicationContext context = start(server, dir)) {
            switch (mode) {
                case "rate" -> rate(context, seconds(args, 1, 10), seconds(args, 2, 20));
                case "heap" -> heap(context);
                default -> throw new IllegalArgumentException("mode must be 'rate' or 'heap', was '" + mode + "'");
            }
        } finally {
            server.destroy();
            deleteTree(dir);
        }
    }

    private static void rate(ConfigurableApplicationContext context, Duration warmup, Duration measure) {
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        EventCollector collector = context.getBean(EventCollector.class);
        KubernetesSerialization serialization =
                context.getBean(KubernetesClient.class).getKubernetesSerialization();
        List<String> events =
                events(DISTINCT_EVENTS).stream().map(serialization::asJson).toList();
        if (!events.get(0).contains(COUNT_ONE)) {
            throw new IllegalStateException("event JSON has no " + COUNT_ONE + ": " + events.get(0));
        }
        long[] counts = new long[DISTINCT_EVENTS];
        long sent = 0;
        long end = System.nanoTime() + warmup.toNanos();
        sent = drive(collector, serialization, events, counts, sent, end);
        double written0 = written(registry);
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        sent = drive(collector, serialization, events, counts, sent, t0 + measure.toNanos());
        while (collector.queuedRecords() > 0) {
            Thread.onSpinWait();
        }
        long elapsed = System.nanoTime() - t0;
        double written = written(registry) - written0;
        double cpu = processCpuNanos() - cpu0;
        System.out.printf(
                Locale.ROOT,
                "rate: %.0f records/s written, %.1f us CPU/record, dropped=%.0f, "
                        + "notifications sent=%d, window=%.1fs%n",
                written / (elapsed / 1e9),
                cpu / written / 1000,
                dropped(registry),
                sent,
                elapsed / 1e9);
    }

    /**
     * Feeds notifications until {@code endNanos}, each parsed from JSON as the informer receives it; waits
     * (harness-side) while the queue is nearly full.
     */
    private static long drive(
            EventCollector collector,
            KubernetesSerialization serialization,
            List<String> events,
            long[] counts,
            long sent,
            long endNanos) {
        Instant now = Instant.now();
        while (System.nanoTime() < endNanos) {
            for (int batch = 0; batch < 1_000; batch++) {
                while (collector.queuedRecords() > QUEUE * 9 / 10) {
                    Thread.onSpinWait();
                }
                int i = (int) (sent % DISTINCT_EVENTS);
                String json = events.get(i).replace(COUNT_ONE, "\"count\":" + ++counts[i] + ",");
                collector.upsert(EventNormalizer.fromCoreV1(serialization.unmarshal(json, Event.class), now));
                sent++;
            }
        }
        return sent;
    }

    private static void heap(ConfigurableApplicationContext context) throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        EventCollector collector = context.getBean(EventCollector.class);
        long baseline = liveHeap(memory);
        // the informer keeps every event in its (reduced) store; fill one the same way
        ReducedStateItemStore<Event> store = EventInformers.coreV1Store(
                context.getBean(KubernetesClient.class).getKubernetesSerialization());
        Instant now = Instant.now();
        for (Event event : events(BURST)) {
            store.put(store.getKey(event), event);
            collector.upsert(EventNormalizer.fromCoreV1(event, now));
        }
        while (written(registry) + dropped(registry) < BURST) {
            Thread.sleep(50); // harness polling for the writer to finish, not a measurement
        }
        long after = liveHeap(memory);
        System.out.printf(
                Locale.ROOT,
                "heap: live heap after burst %.1f MiB (before %.1f MiB, burst +%.1f MiB); "
                        + "store=%d written=%.0f dropped=%.0f; process RSS %s (mostly committed heap)%n",
                mib(after),
                mib(baseline),
                mib(after - baseline),
                store.size(),
                written(registry),
                dropped(registry),
                rss());
    }

    /**
     * Heap of a start-up against a cluster holding {@code events} events (the first list is what every re-list
     * repeats), listed in pages of {@code pageSize} (0: one response), served by {@link RelistServer} in another
     * process on {@code port}. Reports the highest heap in use while listing (sampled every 5 ms), the highest
     * heap left after a garbage collection in that time, and the live heap once the leader has taken over.
     */
    private static void relist(int port, int pageSize, int events) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peakUsed = new AtomicLong();
        AtomicLong peakAfterGc = new AtomicLong();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc)
                    .addNotificationListener(
                            (notification, handback) -> {
                                var info = GarbageCollectionNotificationInfo.from(
                                        (CompositeData) notification.getUserData());
                                long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                                        .mapToLong(MemoryUsage::getUsed)
                                        .sum();
                                peakAfterGc.accumulateAndGet(after, Math::max);
                            },
                            n -> n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION),
                            null);
        }
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                LockSupport.parkNanos(5_000_000);
            }
        });
        sampler.setDaemon(true);
        Path dir = Files.createTempDirectory("event-collector-relist");
        long t0 = System.nanoTime();
        sampler.start();
        try (ConfigurableApplicationContext context =
                start(port, dir, "sightline.collector.list-page-size=" + pageSize)) {
            EventCollector collector = context.getBean(EventCollector.class);
            while (!collector.isSynced()) {
                Thread.sleep(20); // harness polling, not a measurement
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            sampler.interrupt();
            long live = liveHeap(memory);
            System.out.printf(
                    Locale.ROOT,
                    "relist: page size %d, %d events: heap in use at most %.0f MiB, after GC at most %.0f MiB, "
                            + "live after takeover %.0f MiB; listed and led in %.1f s%n",
                    pageSize,
                    events,
                    mib(peakUsed.get()),
                    mib(peakAfterGc.get()),
                    mib(live),
                    seconds);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * The collector application as deployed (telemetry starter included), its client pointed at the mock server;
     * leader election off (one replica), management on an ephemeral port.
     */
    private static ConfigurableApplicationContext start(KubernetesMockServer server, Path dir) {
        return start(server.getPort(), dir, "sightline.collector.output.queue-capacity=" + QUEUE);
    }

    private static ConfigurableApplicationContext start(int port, Path dir, String setting) {
        System.setProperty("kubernetes.master", "http://127.0.0.1:" + port);
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(EventCollectorApplication.class)
                .properties(
                        "server.port=0",
                        "management.server.port=0",
                        "sightline.collector.api=v1",
                        "sightline.collector.self-namespace=sightline",
                        "sightline.collector.leader-election.enabled=false",
                        setting,
                        "sightline.collector.output.path=" + dir.resolve("events.log"))
                .run();
        EventCollector collector = context.getBean(EventCollector.class);
        while (!collector.isLeading()) {
            Thread.onSpinWait();
        }
        return context;
    }

    /** Realistic kubelet-style events: about 120 characters of message, all fields set. */
    static List<Event> events(int n) {
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Event> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String pod = "checkout-7f9c8d6b5-" + Integer.toString(i, 36);
            events.add(new EventBuilder()
                    .withNewMetadata()
                    .withNamespace("shop-" + (i % 20))
                    .withName(pod + ".17a2b3c4d5e6f" + i)
                    .withUid(java.util.UUID.randomUUID().toString())
                    .withResourceVersion(Integer.toString(i))
                    .withCreationTimestamp(t.toString())
                    .endMetadata()
                    .withNewInvolvedObject()
                    .withKind("Pod")
                    .withName(pod)
                    .withNamespace("shop-" + (i % 20))
                    .endInvolvedObject()
                    .withReason(i % 3 == 0 ? "BackOff" : "Unhealthy")
                    .withType("Warning")
                    .withMessage("Readiness probe failed: Get \"http://10.42.3." + (i % 250)
                            + ":8081/actuator/health/readiness\": context deadline exceeded (Client.Timeout)")
                    .withCount(1)
                    .withFirstTimestamp(t.toString())
                    .withLastTimestamp(t.toString())
                    .withReportingComponent("kubelet")
                    .withReportingInstance("node-" + (i % 7))
                    .build());
        }
        return events;
    }

    private static long liveHeap(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** VmRSS from /proc (Linux), for comparison with figures published as container memory. */
    private static String rss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> l.substring(6).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static double written(MeterRegistry registry) {
        return registry.get("sightline.event.collector.records.written")
                .counter()
                .count();
    }

    private static double dropped(MeterRegistry registry) {
        return registry.get("sightline.event.collector.records.dropped").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }

    private static Duration seconds(String[] args, int index, int fallback) {
        return Duration.ofSeconds(args.length > index ? Integer.parseInt(args[index]) : fallback);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
