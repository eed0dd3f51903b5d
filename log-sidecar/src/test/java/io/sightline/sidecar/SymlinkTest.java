package io.sightline.sidecar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.sightline.sidecar.checkpoint.CheckpointStore;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.source.FileOpener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whoever can write to the shared log folder (the application container) must not make the sidecar
 * read a file outside its inputs' directories: not through a symbolic link, not through a
 * checkpoint entry. The sidecar holds secrets of its own (the sink's token file) and ships what it
 * reads to a store many people can query.
 */
class SymlinkTest {

    @TempDir
    Path dir;

    @Test
    void aLinkInTheLogFolderIsNotFollowedByDefault() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path secret = Files.writeString(
                Files.createDirectories(dir.resolve("secrets")).resolve("token"), "the sink's token\n");
        Files.createSymbolicLink(logs.resolve("evil.log"), secret);
        Files.writeString(logs.resolve("normal.log"), "first\n");
        TestSupport.CollectingSink sink = new TestSupport.CollectingSink();
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Sidecar sidecar = start(TestSupport.settings(logs, dir.resolve("checkpoints")), sink, diagnostics);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> lines(sink).contains("first"));
            // a line written after both files were listed: once it arrives, the link was looked at
            Files.writeString(logs.resolve("normal.log"), "first\nsecond\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> lines(sink).contains("second"));
        } finally {
            sidecar.shutdown(Duration.ofSeconds(5));
        }
        assertThat(lines(sink)).containsExactly("first", "second");
        assertThat(diagnostics.text())
                .contains("symbolic link")
                .contains(logs.resolve("evil.log").toString());
    }

    @Test
    void linksAreFollowedWhenTheSettingAllowsIt() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("containers"));
        Path target = Files.writeString(
                Files.createDirectories(dir.resolve("pods/shop_checkout_1/app")).resolve("0.log"), "via the link\n");
        Files.createSymbolicLink(logs.resolve("checkout_shop_app-1.log"), target);
        TestSupport.CollectingSink sink = new TestSupport.CollectingSink();
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Map<String, String> settings = TestSupport.settings(logs, dir.resolve("checkpoints"));
        settings.put("SIGHTLINE_FOLLOW_SYMLINKS", "true");
        Sidecar sidecar = start(settings, sink, diagnostics);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> lines(sink).contains("via the link"));
        } finally {
            sidecar.shutdown(Duration.ofSeconds(5));
        }
    }

    /**
     * A checkpoint entry naming a file outside the inputs' directories (a tampered or stale
     * checkpoint) is ignored with a warning; before, the sidecar looked next to that path for the
     * rest of the "rotated" file and shipped what it found.
     */
    @Test
    void checkpointEntriesOutsideTheInputsAreIgnored() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path outside = Files.writeString(elsewhere.resolve("private.log.1"), "not yours\n");
        // the entry claims elsewhere/private.log (now gone) continues in private.log.1, from offset 0
        Map<String, Object> key = Files.readAttributes(outside, "unix:dev,ino");
        String fileId = Long.toHexString((Long) key.get("dev")) + "-" + Long.toHexString((Long) key.get("ino")) + "-"
                + "not yours\n".length() + "-" + Long.toHexString(crc32c("not yours\n")) + "-0";
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        new CheckpointStore(checkpoints)
                .write(List.of(new CheckpointStore.Entry(fileId, 0, 10, elsewhere.resolve("private.log"))));
        Files.writeString(logs.resolve("app.log"), "mine\n");
        TestSupport.CollectingSink sink = new TestSupport.CollectingSink();
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Sidecar sidecar = start(TestSupport.settings(logs, checkpoints), sink, diagnostics);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> lines(sink).contains("mine"));
            Files.writeString(logs.resolve("app.log"), "mine\nstill mine\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> lines(sink).contains("still mine"));
        } finally {
            sidecar.shutdown(Duration.ofSeconds(5));
        }
        assertThat(lines(sink)).containsExactly("mine", "still mine");
        assertThat(diagnostics.text())
                .contains("outside")
                .contains(elsewhere.resolve("private.log").toString());
    }

    private static long crc32c(String text) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private static Sidecar start(
            Map<String, String> settings, TestSupport.CollectingSink sink, TestSupport.CapturedDiagnostics diagnostics)
            throws Exception {
        settings.put("SIGHTLINE_METRICS_ENABLED", "false");
        Sidecar sidecar =
                new Sidecar(TestSupport.config(settings), sink, diagnostics.diagnostics, FileOpener.DEFAULT, () -> {
                    throw new AssertionError("pipeline thread died: " + diagnostics.text());
                });
        sidecar.start();
        return sidecar;
    }

    private static List<String> lines(TestSupport.CollectingSink sink) {
        return sink.records().stream().map(LogRecord::line).toList();
    }
}
