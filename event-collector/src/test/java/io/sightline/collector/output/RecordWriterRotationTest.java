package io.sightline.collector.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sightline.collector.MockCluster;
import io.sightline.collector.metrics.CollectorMetrics;
import io.sightline.collector.watch.KubeEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Size rotation on a real file system: whole lines only, the configured number of rotated files kept. */
class RecordWriterRotationTest {

    @TempDir
    Path dir;

    @Test
    void rotatesBySizeKeepingWholeLinesAndMaxFiles() throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path path = dir.resolve("events.log");
        RecordWriter writer = new RecordWriter(
                path, 100, 2048, 2, new CollectorMetrics(registry, MockCluster.DEFAULT_METRICS, Clock.systemUTC()));
        writer.start(new WriteListener() {
            @Override
            public void written(KubeEvent event) {}

            @Override
            public void notWritten(KubeEvent event) {}
        });
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        for (int i = 0; i < 60; i++) {
            writer.submit(new KubeEvent(
                    "uid-" + i,
                    "shop",
                    "web-" + i + ".e",
                    now,
                    "Pod",
                    "web-" + i,
                    "BackOff",
                    "Warning",
                    "m" + i,
                    1,
                    now,
                    now,
                    "kubelet",
                    "node-1"));
            if (i % 20 == 19) {
                await().until(() -> writer.queued() == 0);
            }
        }
        writer.close();

        assertThat(registry.get("sightline.event.collector.records.written")
                        .counter()
                        .count())
                .isEqualTo(60);
        assertThat(path).exists();
        assertThat(dir.resolve("events.log.1")).exists();
        assertThat(dir.resolve("events.log.2")).exists();
        assertThat(dir.resolve("events.log.3")).doesNotExist();
        List<String> lines = new ArrayList<>();
        for (String name : List.of("events.log.2", "events.log.1", "events.log")) {
            Path file = dir.resolve(name);
            assertThat(Files.size(file)).isLessThanOrEqualTo(2048);
            lines.addAll(Files.readAllLines(file));
        }
        JsonMapper json = JsonMapper.builder().build();
        List<Integer> ids = lines.stream()
                .map(l -> json.readTree(l).get("event_uid").asString())
                .map(uid -> Integer.parseInt(uid.substring(4)))
                .toList();
        // the newest records, in order, none split or repeated; the oldest rotated away
        assertThat(ids).isSorted().doesNotHaveDuplicates().endsWith(59);
        assertThat(ids.size()).isLessThan(60);
    }
}
