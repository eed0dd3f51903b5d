package io.sightline.sidecar.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import io.sightline.sidecar.checkpoint.Checkpoints;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.metrics.SidecarMetrics;
import io.sightline.sidecar.parse.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One {@link FileReader} on a plain directory, no threads: the test is its clock and its intake.
 */
class FileReaderTest {

    private static final long MS = 1_000_000L;
    private static final FileReader.Settings SETTINGS = new FileReader.Settings(
            Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(5), 64 << 10);

    @TempDir
    Path dir;

    private final SidecarMetrics metrics = new SidecarMetrics();
    private final Intake intake = new Intake();
    private Checkpoints checkpoints;
    private long now;

    /** A test intake: takes up to {@code room} records, then refuses. */
    static final class Intake implements RecordIntake {
        final List<LogRecord> taken = new ArrayList<>();
        int room = Integer.MAX_VALUE;
        long held;

        @Override
        public boolean offer(LogRecord record) {
            if (room <= 0) {
                return false;
            }
            room--;
            taken.add(record);
            return true;
        }

        @Override
        public boolean force(LogRecord record) {
            taken.add(record);
            return true;
        }

        @Override
        public long room() {
            return room > 0 ? Long.MAX_VALUE : 0;
        }

        @Override
        public boolean idle() {
            return false;
        }

        @Override
        public void held(long deltaBytes) {
            held += deltaBytes;
        }

        @Override
        public boolean closed() {
            return false;
        }

        List<String> lines() {
            return taken.stream().map(LogRecord::line).toList();
        }
    }

    private FileReader open(Path file) throws IOException {
        FileKey key = FileKey.of(file, false);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        FileReader reader = reader(file, key, channel);
        reader.begin(FileIdentity.firstSight(key, channel, key.size(), 0), 0);
        return reader;
    }

    private FileReader reader(Path file, FileKey key, FileChannel channel) throws IOException {
        checkpoints = new Checkpoints(
                null, new Diagnostics(new PrintStream(new ByteArrayOutputStream()), Diagnostics.Level.DEBUG));
        LineFraming framing = new LineFraming(
                1024,
                true,
                null,
                new LineFraming.Counters(
                        metrics.linesRead.labelValues("in"),
                        metrics.linesTruncated.labelValues("in"),
                        metrics.linesUnparsed.labelValues("in")),
                intake);
        return new FileReader(
                SETTINGS,
                "in",
                file,
                key,
                channel,
                checkpoints,
                framing,
                metrics.bytesRead.labelValues("in"),
                new byte[64 << 10],
                () -> now,
                now);
    }

    private FileReader.Result poll(FileReader reader, long afterMillis) throws IOException {
        now += afterMillis * MS;
        return reader.poll(now, Long.MAX_VALUE);
    }

    /**
     * A compressed rotation replayed while the intake refuses every few records (the bound full, the sink slow): each
     * refusal reads again from the refused record, which must not decompress the file again from its start. Counted:
     * the bytes inflated in all, against the file's uncompressed size.
     */
    @Test
    void aReplayRefusedAgainAndAgainInflatesItsFileAboutOnce() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < (2 << 20); i++) {
            text.append("{\"message\":\"line ").append(i).append("\"}\n");
        }
        byte[] plain = text.toString().getBytes(StandardCharsets.UTF_8);
        Path gz = dir.resolve("app.log.1.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(plain);
        }
        FileKey key = FileKey.of(gz, false);
        FileChannel channel = FileChannel.open(gz, StandardOpenOption.READ);
        CompressedRotation rotation = new CompressedRotation(channel, damage -> {
            throw new AssertionError("damaged: " + damage);
        });
        FileReader reader = reader(gz, key, channel);
        reader.replay(FileIdentity.ofContent(key, plain, plain.length, 0), 0, dir.resolve("app.log.1"), 0, rotation);

        FileReader.Result result;
        do {
            intake.room = 500;
            result = poll(reader, 1);
        } while (result != FileReader.Result.FINISHED);

        List<String> lines = intake.lines();
        assertThat(String.join("\n", lines) + "\n").isEqualTo(text.toString());
        assertThat(rotation.inflatedBytes())
                .as("bytes inflated for %d bytes of content", plain.length)
                .isLessThan(2L * plain.length);
    }

    @Test
    void readsLinesAndJoinsAStackTraceOnceItsTimeoutPassed() throws Exception {
        Path file = Files.writeString(dir.resolve("app.log"), "{\"level\":\"INFO\"}\nfailed\n\tat a.B(C)\n");
        FileReader reader = open(file);
        assertThat(poll(reader, 0)).isEqualTo(FileReader.Result.READ);
        assertThat(intake.lines()).containsExactly("{\"level\":\"INFO\"}");
        assertThat(intake.held).as("the trace being joined is held").isPositive();
        assertThat(poll(reader, 500)).isEqualTo(FileReader.Result.IDLE);
        assertThat(intake.lines()).hasSize(1);
        assertThat(poll(reader, 600)).isEqualTo(FileReader.Result.IDLE);
        assertThat(intake.lines()).containsExactly("{\"level\":\"INFO\"}", "failed\n\tat a.B(C)");
        assertThat(intake.held).isZero();
    }
}
