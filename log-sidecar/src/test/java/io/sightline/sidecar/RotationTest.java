package io.sightline.sidecar;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.source.FileOpener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A writer appends continuously while the file is rotated, alternately by rename (new inode at the
 * path) and by copytruncate (copy to a rotated name, truncate in place, keep appending): every line
 * must reach the sink exactly once, with its content intact.
 * <p>The writer never rotates a file before the sidecar has read from it at all: a file created and
 * rotated away between two polls cannot be seen by any tailer (in production rotations are minutes
 * apart). Apart from that the writer does not wait: rotations happen while the sidecar is behind.
 */
class RotationTest {

    private static final Pattern SEQUENCE = Pattern.compile("seq\"?[:=](\\d+)");
    private static final int LINES = 200_000;
    private static final int LINES_PER_ROTATION = 9_000;

    @TempDir
    Path dir;

    @Test
    void everyLineExactlyOnceAcrossRenameAndCopytruncateRotations() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path app = logs.resolve("app.log");
        TestSupport.CollectingSink sink = new TestSupport.CollectingSink();
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Map<String, String> settings = TestSupport.settings(logs, dir.resolve("checkpoints"));
        settings.put("SIGHTLINE_METRICS_ENABLED", "false");
        Sidecar sidecar =
                new Sidecar(TestSupport.config(settings), sink, diagnostics.diagnostics, FileOpener.DEFAULT, () -> {
                    throw new AssertionError("pipeline thread died: " + diagnostics.text());
                });
        sidecar.start();

        int rotations = 0;
        OutputStream out = open(app);
        for (int i = 0; i < LINES; i++) {
            out.write(line(i).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            if ((i + 1) % LINES_PER_ROTATION == 0) {
                out.flush();
                long periodStart = i + 1 - LINES_PER_ROTATION;
                int rotation = rotations + 1;
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(linesRead(sidecar))
                        .as("lines read before rotation %d; diagnostics:%n%s", rotation, diagnostics.text())
                        .isGreaterThan(periodStart));
                rotations++;
                Path rotated = logs.resolve("app.log." + rotations);
                if (rotations % 2 == 1) {
                    out.close();
                    Files.move(app, rotated);
                    out = open(app);
                } else {
                    out.flush();
                    Files.copy(app, rotated);
                    try (FileChannel truncate = FileChannel.open(app, StandardOpenOption.WRITE)) {
                        truncate.truncate(0);
                    }
                }
            }
        }
        out.close();

        await().atMost(Duration.ofSeconds(Integer.getInteger("rotation.wait", 120)))
                .untilAsserted(() -> assertThat(sink.count())
                        .as("records delivered; diagnostics:%n%s", diagnostics.text())
                        .isGreaterThanOrEqualTo(LINES));
        assertThat(sidecar.shutdown(Duration.ofSeconds(5))).isTrue();

        assertThat(rotations).isGreaterThanOrEqualTo(20);
        Map<Integer, Integer> seen = new HashMap<>();
        for (LogRecord record : sink.records()) {
            int sequence = sequenceOf(record.line());
            assertThat(record.line()).isEqualTo(line(sequence));
            seen.merge(sequence, 1, Integer::sum);
        }
        assertThat(sink.count())
                .as("records delivered (diagnostics: %s)", diagnostics.text())
                .isEqualTo(LINES);
        assertThat(seen).hasSize(LINES);
        assertThat(seen.values()).containsOnly(1);
        assertThat(diagnostics.text()).contains("copytruncate");
    }

    /**
     * An application that still writes through its old handle a moment after the rename (logback
     * flushing its buffer, a slow thread) loses nothing: the renamed file is read until the
     * rotate-wait has passed without growth. Before, it was closed two poll intervals after its last
     * growth (40 ms here), and the late line was lost.
     */
    @Test
    void lateWritesThroughTheOldHandleAfterARenameAreRead() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path app = logs.resolve("app.log");
        TestSupport.CollectingSink sink = new TestSupport.CollectingSink();
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Map<String, String> settings = TestSupport.settings(logs, dir.resolve("checkpoints"));
        settings.put("SIGHTLINE_METRICS_ENABLED", "false");
        settings.put("SIGHTLINE_ROTATE_WAIT", "60s");
        Sidecar sidecar = start(settings, sink, diagnostics);
        try (OutputStream old = open(app)) {
            old.write("before the rename\n".getBytes(StandardCharsets.UTF_8));
            old.flush();
            awaitLine(sink, "before the rename");
            Files.move(app, logs.resolve("app.log.1"));
            // several batches through the new file: far more than two poll intervals pass
            for (int i = 0; i < 5; i++) {
                Files.writeString(app, "new file " + i + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                awaitLine(sink, "new file " + i);
            }
            old.write("late, through the old handle\n".getBytes(StandardCharsets.UTF_8));
            old.flush();
            awaitLine(sink, "late, through the old handle");
        } finally {
            sidecar.shutdown(Duration.ofSeconds(5));
        }
    }

    /**
     * Rotations while the sidecar was stopped, by rename and by copytruncate: the rotated file is
     * found next to the old path and read on from the checkpoint's offset; nothing is read twice.
     */
    @Test
    void aFileRotatedWhileTheSidecarWasStoppedIsReadOnFromItsCheckpoint() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path app = logs.resolve("app.log");
        Path other = logs.resolve("other.log");
        Files.writeString(app, lines("renamed-before", 100));
        Files.writeString(other, lines("truncated-before", 100));
        TestSupport.CollectingSink sink = new TestSupport.CollectingSink();
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Map<String, String> settings = TestSupport.settings(logs, dir.resolve("checkpoints"));
        settings.put("SIGHTLINE_METRICS_ENABLED", "false");
        Sidecar first = start(settings, sink, diagnostics);
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() >= 200);
        assertThat(first.shutdown(Duration.ofSeconds(5))).isTrue();

        // while stopped: more lines, then rotation; then the new files get lines of their own
        Files.writeString(app, lines("renamed-while-stopped", 100), StandardOpenOption.APPEND);
        Files.move(app, logs.resolve("app.log.1"));
        Files.writeString(app, lines("renamed-new-file", 50));
        Files.writeString(other, lines("truncated-while-stopped", 100), StandardOpenOption.APPEND);
        Files.copy(other, logs.resolve("other.log.1"));
        try (FileChannel truncate = FileChannel.open(other, StandardOpenOption.WRITE)) {
            truncate.truncate(0);
        }
        Files.writeString(other, lines("truncated-new-content", 20), StandardOpenOption.APPEND);

        Sidecar second = start(settings, sink, diagnostics);
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sink.count())
                    .as("diagnostics:%n%s", diagnostics.text())
                    .isGreaterThanOrEqualTo(470));
        } finally {
            second.shutdown(Duration.ofSeconds(5));
        }
        List<String> shipped = sink.records().stream().map(LogRecord::line).toList();
        assertThat(shipped).doesNotHaveDuplicates().hasSize(470);
        assertThat(shipped)
                .filteredOn(line -> line.startsWith("renamed-while-stopped"))
                .hasSize(100);
        assertThat(shipped)
                .filteredOn(line -> line.startsWith("truncated-while-stopped"))
                .hasSize(100);
    }

    private static String lines(String prefix, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(prefix).append(' ').append(i).append(" with some payload\n");
        }
        return text.toString();
    }

    private static Sidecar start(
            Map<String, String> settings, TestSupport.CollectingSink sink, TestSupport.CapturedDiagnostics diagnostics)
            throws IOException {
        Sidecar sidecar =
                new Sidecar(TestSupport.config(settings), sink, diagnostics.diagnostics, FileOpener.DEFAULT, () -> {
                    throw new AssertionError("pipeline thread died: " + diagnostics.text());
                });
        sidecar.start();
        return sidecar;
    }

    private static void awaitLine(TestSupport.CollectingSink sink, String line) {
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.records().stream()
                .anyMatch(record -> record.line().equals(line)));
    }

    private static double linesRead(Sidecar sidecar) {
        return sidecar.metrics()
                .linesRead
                .labelValues(sidecar.inputGlobs().get(0))
                .get();
    }

    private static OutputStream open(Path path) throws IOException {
        return new BufferedOutputStream(new FileOutputStream(path.toFile(), true), 8192);
    }

    /** JSON and plain lines alternate, so both parse paths see rotations. */
    static String line(int sequence) {
        return sequence % 2 == 0
                ? "{\"@timestamp\":\"2026-11-27T11:20:00.123Z\",\"level\":\"INFO\",\"service_name\":\"rotation\",\"message\":\"line\",\"seq\":"
                        + sequence + "}"
                : "plain text line seq=" + sequence + " with some payload to make it longer";
    }

    static int sequenceOf(String line) {
        Matcher matcher = SEQUENCE.matcher(line);
        assertThat(matcher.find()).as("a line written by the test: %s", line).isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
