package io.sightline.sidecar.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sightline.sidecar.checkpoint.CheckpointStore;
import io.sightline.sidecar.checkpoint.Checkpoints;
import io.sightline.sidecar.config.MapSettings;
import io.sightline.sidecar.config.SidecarConfig;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.metrics.SidecarMetrics;
import io.sightline.sidecar.parse.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link FileTailer}'s bookkeeping of files it listed, on a real directory, driven round by round
 * ({@link FileTailer#pollOnce}) with a clock the test moves: the sequences the model-based test found,
 * each reduced to its few steps. Rotated files being drained for the rotate-wait can take every place
 * among the open files ({@code SIGHTLINE_MAX_OPEN_FILES}, 8 here), so a new file waits for one; a
 * "kill" drops the tailer without saving and starts a new one on the same checkpoint directory.
 * Every line written must be delivered, once.
 */
class FileTailerRotationTest {

    private static final long MS = 1_000_000L;
    private static final int PLACES = 8;

    @TempDir
    Path dir;

    private Path logs;
    private final Diagnostics diagnostics =
            new Diagnostics(new PrintStream(new ByteArrayOutputStream()), Diagnostics.Level.ERROR);
    private final List<FileChannel> opened = new ArrayList<>();
    private final List<String> delivered = new ArrayList<>();
    private SidecarMetrics metrics;
    private Checkpoints checkpoints;
    private FileReaderTest.Intake intake;
    private FileTailer tailer;
    private long now = 1_000_000 * MS;
    private final List<String> written = new ArrayList<>();
    /** What happens on the file system just before the tailer opens a path of that name (once): the races, in order. */
    private final Map<String, FileChange> beforeOpening = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        logs = Files.createDirectories(dir.resolve("logs"));
        restart();
    }

    @AfterEach
    void closeFiles() {
        kill();
    }

    /**
     * The run loop parks for the rest of the poll interval only after a round that read nothing; the round that
     * starts a new file must not count as one, or every new file's first lines wait a poll interval (250 ms by
     * default: a third of the shipper's time to its first batch).
     */
    @Test
    void aNewFileIsReadWithoutWaitingAnotherPollInterval() throws IOException {
        write("a.log", "a1\na2\n");
        for (int i = 0; i < 50 && tailer.pollOnce(); i++) {
            // the run loop: the clock does not move while rounds make progress
        }
        // a2 is held for the multi-line timeout (the clock stands still): a1 shows the file was read
        assertThat(intake.taken).extracting(LogRecord::line).containsExactly("a1");
    }

    @Test
    void aFileRenamedAwayWhileItWaitsForAPlaceAmongTheOpenFilesIsStillRead() throws IOException {
        occupyEveryPlaceWithRotatedFiles();
        write("b.log", "b1\nb2\n");
        poll(150); // b.log is listed; no place to read it yet
        Files.move(logs.resolve("b.log"), logs.resolve("b.log.1"));
        poll(150);
        drainEverything();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void aFileRenamedAwayWhileItWaitsIsReadAfterAKill() throws IOException {
        occupyEveryPlaceWithRotatedFiles();
        write("b.log", "b1\nb2\n");
        poll(150);
        Files.move(logs.resolve("b.log"), logs.resolve("b.log.1"));
        kill();
        restart();
        drainEverything();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void aFileCopytruncatedWhileItWaitsIsReadFromItsCopy() throws IOException {
        occupyEveryPlaceWithRotatedFiles();
        write("b.log", "b1\nb2\n");
        poll(150);
        Files.copy(logs.resolve("b.log"), logs.resolve("b.log.1"), StandardCopyOption.COPY_ATTRIBUTES);
        truncate("b.log");
        write("b.log", "b3\n");
        drainEverything();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(written);
    }

    /** Seed 1113 of the model: nothing is written to the file after the copytruncate. */
    @Test
    void aFileCopytruncatedWhileItWaitsAndLeftEmptyIsReadFromItsCopy() throws IOException {
        occupyEveryPlaceWithRotatedFiles();
        write("b.log", "b1\nb2\n");
        poll(150);
        Files.copy(logs.resolve("b.log"), logs.resolve("b.log.1"), StandardCopyOption.COPY_ATTRIBUTES);
        truncate("b.log");
        drainEverything();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(written);
    }

    /**
     * Seed 275 of the model: the generation that follows a copytruncate starts a round after the copy
     * was drained, at the same instant as an earlier save; it must be in the checkpoint when that round
     * ends, or a rename and a kill right after lose it.
     */
    @Test
    void aNewGenerationIsInTheCheckpointWhenItsFirstRoundEnds() throws IOException {
        write("a.log", "a1\n");
        poll(150);
        deliver();
        Files.copy(logs.resolve("a.log"), logs.resolve("a.log.1"), StandardCopyOption.COPY_ATTRIBUTES);
        truncate("a.log");
        write("a.log", "a2\na3\n");
        write("b.log", "b1\n"); // tracked (and saved) in the first round at this instant
        poll(150);
        Files.move(logs.resolve("a.log"), logs.resolve("a.log.2"));
        kill();
        restart();
        drainEverything();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void aWaitingFileDeletedBeforeItWasReadLeavesTheCheckpointAndIsCountedAsLost() throws IOException {
        occupyEveryPlaceWithRotatedFiles();
        write("b.log", "b1\n");
        poll(150);
        Files.delete(logs.resolve("b.log"));
        drainEverything();
        written.remove("b1");
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(written);
        assertThat(new CheckpointStore(dir.resolve("checkpoints")).read())
                .as("no entry is left for a deleted file")
                .isEmpty();
        assertThat(metrics.recordsDropped
                        .labelValues("test", SidecarMetrics.DROP_LOST_BEFORE_READ)
                        .get())
                .isEqualTo(1.0);
    }

    /**
     * The race the node mode's end-to-end test met once under load: the listing saw {@code a.log}, then the writer
     * rotated it (renamed, a new {@code a.log} written) before the tailer opened the path, so the path opens the new
     * file. The listed file is read under its new name, the new file once, as its own.
     */
    @Test
    void aFileRotatedBetweenItsListingAndItsOpeningIsReadWholeAndTheNewFileOnce() throws IOException {
        write("a.log", "a1\na2\na3\n");
        beforeOpening.put("a.log", () -> {
            Files.move(logs.resolve("a.log"), logs.resolve("a.log.1"));
            write("a.log", "b1\n");
        });
        drainEverything();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(written);
    }

    /** Listed, then renamed away before it was opened, no new file yet: still read, under its new name. */
    @Test
    void aFileRenamedBetweenItsListingAndItsOpeningIsRead() throws IOException {
        write("a.log", "a1\na2\n");
        beforeOpening.put("a.log", () -> Files.move(logs.resolve("a.log"), logs.resolve("a.log.1")));
        drainEverything();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(written);
    }

    /**
     * A file closed while idle grew; the tailer reopens it by its path, and the writer rotated it just before: the
     * path opens the new file. The old file's rest is read from its new name, the new file once, as its own (not as a
     * copytruncate of the old one).
     */
    @Test
    void aClosedFileRotatedJustBeforeItIsReopenedLosesAndRepeatsNothing() throws IOException {
        write("a.log", "a1\n");
        poll(150);
        for (int i = 0; i < PLACES; i++) {
            write("c" + i + ".log", "c" + i + "\n"); // newer readers: a.log, read least recently, is closed
        }
        poll(150);
        write("a.log", "a2\n");
        beforeOpening.put("a.log", () -> {
            Files.move(logs.resolve("a.log"), logs.resolve("a.log.1"));
            write("a.log", "b1\n");
        });
        drainEverything();
        assertThat(beforeOpening).as("the tailer reopened a.log").isEmpty();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(written);
    }

    /** Files read, then renamed away: their readers keep every place for the rotate-wait. */
    private void occupyEveryPlaceWithRotatedFiles() throws IOException {
        for (int i = 0; i < PLACES; i++) {
            write("r" + i + ".log", "r" + i + "\n");
        }
        poll(150);
        for (int i = 0; i < PLACES; i++) {
            Files.move(logs.resolve("r" + i + ".log"), logs.resolve("r" + i + ".log.1"));
        }
        poll(150);
    }

    /** Past the rotate-wait (2 s) and the multi-line timeout (1 s) after it, delivering all the while. */
    private void drainEverything() {
        for (int round = 0; round < 25; round++) {
            poll(200);
            deliver();
        }
    }

    private void poll(long millis) {
        now += millis * MS;
        for (int i = 0; i < 50 && tailer.pollOnce(); i++) {
            // read while there is something to read
        }
    }

    /** The sink accepted everything taken: acknowledged and saved, as the delivery stage does. */
    private void deliver() {
        List<LogRecord> batch = List.copyOf(intake.taken);
        intake.taken.clear();
        batch.forEach(record -> delivered.add(record.line()));
        checkpoints.acknowledge(batch);
        checkpoints.save();
    }

    private void write(String name, String text) throws IOException {
        written.addAll(text.lines().toList());
        Files.writeString(
                logs.resolve(name), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void truncate(String name) throws IOException {
        try (FileChannel channel = FileChannel.open(logs.resolve(name), StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
    }

    /** Like kill -9: nothing saved; records taken but not acknowledged are read again after the restart. */
    private void kill() {
        opened.forEach(channel -> {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only
            }
        });
        opened.clear();
        if (intake != null) {
            intake.taken.clear();
        }
    }

    private void restart() throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("SIGHTLINE_INPUT_GLOBS", logs + "/*.log");
        settings.put("SIGHTLINE_CHECKPOINT_DIR", dir.resolve("checkpoints").toString());
        settings.put("SIGHTLINE_POLL_INTERVAL", "100ms");
        settings.put("SIGHTLINE_ROTATE_WAIT", "2s");
        settings.put("SIGHTLINE_MAX_OPEN_FILES", Integer.toString(PLACES));
        SidecarConfig config = SidecarConfig.from(new MapSettings(settings));
        metrics = new SidecarMetrics();
        checkpoints = new Checkpoints(new CheckpointStore(dir.resolve("checkpoints")), diagnostics);
        intake = new FileReaderTest.Intake();
        FileOpener opener = (path, followLinks) -> {
            FileChange change = beforeOpening.remove(path.getFileName().toString());
            if (change != null) {
                change.run();
            }
            FileChannel channel = FileOpener.DEFAULT.open(path, followLinks);
            opened.add(channel);
            return channel;
        };
        tailer = new FileTailer(
                config,
                checkpoints,
                intake,
                metrics,
                "test",
                diagnostics,
                opener,
                FileOrigins.OWN,
                () -> now,
                () -> now);
    }

    @FunctionalInterface
    private interface FileChange {
        void run() throws IOException;
    }
}
