package io.sightline.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.sightline.collector.MockCluster.Replica;
import io.sightline.collector.watch.KubeEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst of 20,000 new events through the collector's notification handler: every occurrence is counted, every
 * record is either written or counted as overflow, and the hand-off never holds more than its capacity. The
 * burst is fed to the handler directly (the informer's own throughput is fabric8's); the informers still run
 * against fabric8's {@code KubernetesMockServer}, which stands in for the API server these machines lack.
 */
class BurstTest {

    private static final int BURST = 20_000;
    private static final int CAPACITY = 1_000;

    @TempDir
    Path dir;

    @RegisterExtension
    final MockCluster cluster = MockCluster.crud();

    @Test
    void burstIsCountedInFullAndTheQueueStaysBounded() throws IOException {
        Path output = dir.resolve("events.log");
        Replica replica = cluster.start(
                "only",
                cluster.client(),
                MockCluster.properties(output, "v1", false, Duration.ofSeconds(5), CAPACITY),
                Clock.systemUTC());
        await().until(replica.collector()::isLeading);

        int maxQueued = burst(replica);

        assertThat(maxQueued).isLessThanOrEqualTo(CAPACITY);
        assertThat(replica.kubeEvents()).isEqualTo(BURST);
        await().untilAsserted(() -> assertThat(replica.counter("sightline.event.collector.records.written")
                        + replica.counter("sightline.event.collector.records.dropped", "reason", "overflow"))
                .isEqualTo(BURST));
        double written = replica.counter("sightline.event.collector.records.written");
        assertThat(written).isGreaterThanOrEqualTo(CAPACITY);

        // the same events again (a resync of the burst) are no new occurrences
        burst(replica);
        assertThat(replica.kubeEvents()).isEqualTo(BURST);
        replica.close();
        assertThat(replica.counter("sightline.event.collector.records.written")).isEqualTo(written);
        try (var lines = Files.lines(output)) {
            assertThat(lines.count()).isEqualTo((long) written);
        }
    }

    /** Feeds the burst; returns the most records ever seen waiting in the hand-off queue. */
    private static int burst(Replica replica) {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        int maxQueued = 0;
        for (int i = 0; i < BURST; i++) {
            replica.collector()
                    .upsert(new KubeEvent(
                            "uid-" + i,
                            "ns-" + (i % 10),
                            "pod-" + i + ".e",
                            now,
                            "Pod",
                            "pod-" + i,
                            "BackOff",
                            "Warning",
                            "Back-off restarting failed container",
                            1,
                            now,
                            now,
                            "kubelet",
                            "node-1"));
            maxQueued = Math.max(maxQueued, replica.collector().queuedRecords());
        }
        return maxQueued;
    }
}
