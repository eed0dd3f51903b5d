package io.sightline.sidecar;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.source.FileOpener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile input: empty lines, CRLF, invalid UTF-8, a 10 MiB line, binary garbage, a path matching
 * the glob that is a directory, a file replaced by a directory, and a file without read permission.
 * The sidecar must keep running and count or report each case.
 * <p>Tests run as root here, where {@code chmod 000} does not stop reading: as root the permission
 * failure is injected through the {@link FileOpener} seam (the same exception the JDK throws);
 * otherwise the file really is made unreadable.
 */
class BadInputTest {

    @TempDir
    Path dir;

    @Test
    void hostileInputIsShippedCountedOrReportedWithoutCrashing() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path unreadable = logs.resolve("secret.log");
        Files.writeString(unreadable, "you cannot read me\n");
        boolean root = "root".equals(System.getProperty("user.name"));
        FileOpener opener = FileOpener.DEFAULT;
        if (root) {
            opener = (path, followLinks) -> {
                if (path.equals(unreadable)) {
                    throw new AccessDeniedException(path.toString());
                }
                return FileOpener.DEFAULT.open(path, followLinks);
            };
        } else {
            Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
        }
        Files.createDirectories(logs.resolve("a-directory.log"));

        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write("before\n\n\n".getBytes(StandardCharsets.UTF_8));
        content.write("windows line\r\n".getBytes(StandardCharsets.UTF_8));
        content.write(
                new byte[] {'b', 'a', 'd', ' ', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, ' ', 'u', 't', 'f', '8', '\n'});
        content.write("x".repeat(10 * 1024 * 1024).getBytes(StandardCharsets.US_ASCII));
        content.write("\nafter the long line\n".getBytes(StandardCharsets.UTF_8));
        byte[] garbage = new byte[64 * 1024];
        new Random(42).nextBytes(garbage);
        content.write(garbage);
        content.write(
                "\nlast line".getBytes(StandardCharsets.UTF_8)); // no newline: flushed after the partial-line timeout
        Files.write(logs.resolve("bad.log"), content.toByteArray());
        Path replaced = logs.resolve("replaced.log");
        Files.writeString(replaced, "soon a directory\n");

        TestSupport.CollectingSink sink = new TestSupport.CollectingSink();
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Map<String, String> settings = TestSupport.settings(logs, dir.resolve("checkpoints"));
        settings.put("SIGHTLINE_PARTIAL_LINE_TIMEOUT", "300ms");
        settings.put("SIGHTLINE_METRICS_ENABLED", "false");
        Sidecar sidecar = new Sidecar(TestSupport.config(settings), sink, diagnostics.diagnostics, opener, () -> {
            throw new AssertionError("pipeline thread died: " + diagnostics.text());
        });
        sidecar.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> lines(sink).contains("last line"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines(sink).contains("soon a directory"));
        Files.delete(replaced);
        Files.createDirectory(replaced);
        await().atMost(Duration.ofSeconds(10)).until(() -> diagnostics.text().contains(replaced + "\""));
        Files.writeString(logs.resolve("later.log"), "still running\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> lines(sink).contains("still running"));
        assertThat(sidecar.shutdown(Duration.ofSeconds(5))).isTrue();

        List<String> lines = lines(sink);
        String input = logs + "/*.log";
        assertThat(lines)
                .contains("before", "windows line", "bad \uFFFD\uFFFD\uFFFD utf8", "after the long line")
                .doesNotContain("");
        assertThat(lines)
                .filteredOn(line -> line.startsWith("xxx"))
                .singleElement()
                .satisfies(line -> assertThat(line).hasSize(256 * 1024));
        assertThat(sidecar.metrics().linesTruncated.labelValues(input).get()).isEqualTo(1.0);
        assertThat(sidecar.metrics().bytesRead.labelValues(input).get())
                .isEqualTo(content.size() + "soon a directory\n".length() + "still running\n".length());
        assertThat(lines).noneMatch(line -> line.contains("you cannot read me"));
        assertThat(diagnostics.text())
                .contains("no permission to read a log file")
                .contains(unreadable.toString())
                .contains("not a regular file")
                .contains(logs.resolve("a-directory.log").toString());
    }

    /**
     * A JSON line nested deeper than any parser allows is a record like any other: shipped as plain
     * text and counted, and the lines after it follow. Before, the reader thread died on it, the
     * process exited 70 and, restarted from the checkpoint, died on it again.
     */
    @Test
    void aLineTheParserCannotReadIsShippedAsTextAndTheLinesAfterItFollow() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        String nested = "{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        Files.writeString(logs.resolve("app.log"), nested + "\n{\"level\":\"INFO\",\"message\":\"after it\"}\n");
        TestSupport.CollectingSink sink = new TestSupport.CollectingSink();
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Map<String, String> settings = TestSupport.settings(logs, dir.resolve("checkpoints"));
        settings.put("SIGHTLINE_METRICS_ENABLED", "false");
        AtomicReference<String> fatal = new AtomicReference<>();
        Sidecar sidecar = new Sidecar(
                TestSupport.config(settings),
                sink,
                diagnostics.diagnostics,
                FileOpener.DEFAULT,
                () -> fatal.set(diagnostics.text()));
        sidecar.start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> fatal.get() != null || lines(sink).size() == 2);
            assertThat(fatal.get()).as("a pipeline thread died").isNull();
            assertThat(lines(sink)).containsExactly(nested, "{\"level\":\"INFO\",\"message\":\"after it\"}");
            assertThat(sink.records().get(0).level()).isNull();
            assertThat(TestSupport.metric(
                            sidecar, "sightline_sidecar_lines_unparsed_total{input=\"" + logs + "/*.log\"}"))
                    .isEqualTo(1.0);
        } finally {
            sidecar.shutdown(Duration.ofSeconds(5));
        }
    }

    /**
     * The line limit is what the sink sees: UTF-8 bytes of the shipped text. Invalid bytes become
     * U+FFFD (three bytes each), so a 200,000-byte binary line is 600,000 bytes once decoded, far over
     * Loki's line limit; and a joined stack trace of multi-byte text must be measured in bytes too.
     */
    @Test
    void everyShippedLineFitsTheLineLimitInUtf8Bytes() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        byte[] invalid = new byte[200_000];
        java.util.Arrays.fill(invalid, (byte) 0xff);
        content.write(invalid);
        content.write('\n');
        content.write("java.lang.IllegalStateException: ünïcödé\n".getBytes(StandardCharsets.UTF_8));
        String frame = "\tat shop.Ärger.ölen(Ärger.java:1) " + "€".repeat(60) + "\n";
        for (int i = 0; i < 2_000; i++) {
            content.write(frame.getBytes(StandardCharsets.UTF_8));
        }
        content.write("done\n".getBytes(StandardCharsets.UTF_8));
        Files.write(logs.resolve("app.log"), content.toByteArray());
        TestSupport.CollectingSink sink = new TestSupport.CollectingSink();
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Map<String, String> settings = TestSupport.settings(logs, dir.resolve("checkpoints"));
        settings.put("SIGHTLINE_METRICS_ENABLED", "false");
        Sidecar sidecar =
                new Sidecar(TestSupport.config(settings), sink, diagnostics.diagnostics, FileOpener.DEFAULT, () -> {
                    throw new AssertionError("pipeline thread died: " + diagnostics.text());
                });
        sidecar.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> lines(sink).contains("done"));
        } finally {
            sidecar.shutdown(Duration.ofSeconds(5));
        }
        int limit = TestSupport.config(settings).maxLineBytes();
        assertThat(lines(sink)).allSatisfy(line -> assertThat(line.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(limit));
        assertThat(lines(sink).get(0)).startsWith("\uFFFD\uFFFD\uFFFD");
        assertThat(lines(sink).stream()
                        .mapToInt(line -> line.split("\tat shop.Ärger", -1).length - 1)
                        .sum())
                .as("every frame shipped")
                .isEqualTo(2_000);
    }

    private static List<String> lines(TestSupport.CollectingSink sink) {
        return sink.records().stream().map(LogRecord::line).toList();
    }
}
