package io.sightline.collector.output;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sightline.collector.MockCluster;
import io.sightline.collector.metrics.CollectorMetrics;
import io.sightline.collector.watch.KubeEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Case 2: a full disk. Written means written and flushed; every lost record is counted; no torn line grows. */
class RecordWriterFailureTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> written = new CopyOnWriteArrayList<>();
    private final List<String> lost = new CopyOnWriteArrayList<>();

    @Test
    void aWriteThatFailsPartWayCountsWhatReachedTheFileAndEndsTheFragmentBeforeTheNextRecord() throws Exception {
        int recordBytes = format(event(0)).length;
        AtomicLong free = new AtomicLong(recordBytes * 2 + recordBytes / 2); // two and a half records fit
        Path path = dir.resolve("events.log");
        RecordWriter writer = new RecordWriter(
                path,
                100,
                1 << 20,
                2,
                new CollectorMetrics(registry, MockCluster.DEFAULT_METRICS, Clock.systemUTC()),
                p -> new FullDisk(RecordFile.APPEND.open(p), free));
        writer.start(new WriteListener() {
            @Override
            public void written(KubeEvent event) {
                written.add(event.uid());
            }

            @Override
            public void notWritten(KubeEvent event) {
                lost.add(event.uid());
            }
        });
        for (int i = 0; i < 5; i++) {
            writer.submit(event(i));
        }
        await().until(() -> written.size() + lost.size() == 5);
        assertThat(written).containsExactly("uid-0", "uid-1");
        assertThat(lost).containsExactly("uid-2", "uid-3", "uid-4");
        assertThat(counter("sightline.event.collector.records.written")).isEqualTo(2);
        assertThat(registry.get("sightline.event.collector.records.dropped")
                        .tag("reason", "write_error")
                        .counter()
                        .count())
                .isEqualTo(3);

        free.set(Long.MAX_VALUE); // space again
        writer.submit(event(5));
        await().until(() -> written.contains("uid-5"));
        writer.close();

        List<String> lines = Files.readAllLines(path);
        JsonMapper json = JsonMapper.builder().build();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).as("the fragment of uid-2, ended").doesNotContain("uid-5");
        assertThat(json.readTree(lines.get(3)).get("event_uid").asString()).isEqualTo("uid-5");
        assertThat(json.readTree(lines.get(1)).get("event_uid").asString()).isEqualTo("uid-1");
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    private static byte[] format(KubeEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new EventRecordFormatter().format(event, out);
        return out.toByteArray();
    }

    private static KubeEvent event(int i) {
        return new KubeEvent(
                "uid-" + i,
                "shop",
                "web.e" + i,
                NOW,
                "Pod",
                "web",
                "BackOff",
                "Warning",
                "m",
                1,
                NOW,
                NOW,
                "kubelet",
                "node-1");
    }
}
