package io.sightline.sidecar.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.source.SourcePosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointsTest {

    @TempDir
    Path dir;

    private final Diagnostics diagnostics =
            new Diagnostics(new PrintStream(new ByteArrayOutputStream()), Diagnostics.Level.DEBUG);

    @Test
    void movesOnlyToAcknowledgedOffsetsAndSurvivesARestart() throws IOException {
        Checkpoints checkpoints = new Checkpoints(new CheckpointStore(dir), diagnostics);
        FileProgress progress = checkpoints.track("f1", "/logs/*.log", Path.of("/logs/a.log"), 0);
        LogRecord first = record("f1", 0, 10);
        LogRecord second = record("f1", 10, 20);
        progress.emitted(10);
        progress.emitted(20);
        progress.skipped(21); // an empty line after the second record
        progress.sizeSeen(30);
        assertThat(progress.committedOffset()).isZero();

        checkpoints.acknowledge(List.of(first));
        assertThat(progress.committedOffset()).isEqualTo(10);
        checkpoints.acknowledge(List.of(second));
        assertThat(progress.committedOffset()).isEqualTo(21);
        checkpoints.save();
        assertThat(checkpoints.lagByInput()).containsEntry("/logs/*.log", 9L);

        Checkpoints restarted = new Checkpoints(new CheckpointStore(dir), diagnostics);
        assertThat(restarted.unclaimed())
                .containsExactly(new CheckpointStore.Entry("f1", 21, 30, Path.of("/logs/a.log")));
        assertThat(Files.list(dir)).extracting(p -> p.getFileName().toString()).containsExactly("checkpoint");
    }

    @Test
    void aClosedFileLeavesTheCheckpointOnceAcknowledged() throws IOException {
        Checkpoints checkpoints = new Checkpoints(new CheckpointStore(dir), diagnostics);
        FileProgress progress = checkpoints.track("f2", "in", Path.of("/logs/b.log"), 0);
        progress.emitted(5);
        progress.close();
        checkpoints.save();
        assertThat(new CheckpointStore(dir).read())
                .extracting(CheckpointStore.Entry::fileId)
                .containsExactly("f2");
        checkpoints.acknowledge(List.of(record("f2", 0, 5)));
        checkpoints.save();
        assertThat(new CheckpointStore(dir).read()).isEmpty();
    }

    @Test
    void aDamagedCheckpointIsExplained() throws IOException {
        Files.writeString(dir.resolve("checkpoint"), "f1\tnot-a-number\t1\t/x\n");
        assertThatThrownBy(() -> new CheckpointStore(dir).read())
                .hasMessageContaining("malformed")
                .hasMessageContaining("delete the file");
    }

    private static LogRecord record(String fileId, long start, long end) {
        return new LogRecord("x", 0, null, null, null, null, null, new SourcePosition(fileId, start, end));
    }
}
