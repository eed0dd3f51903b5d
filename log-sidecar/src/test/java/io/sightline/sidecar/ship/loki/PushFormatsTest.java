package io.sightline.sidecar.ship.loki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.sightline.sidecar.config.MapSettings;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.SendResult;
import io.sightline.sidecar.ship.Sink;
import io.sightline.sidecar.ship.SinkFactory;
import io.sightline.sidecar.source.SourcePosition;
import io.sightline.testsupport.loki.FakeLoki;
import io.sightline.testsupport.tool.JavaCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where snappy's native library cannot load (no writable temporary directory, as in a container with a read-only
 * root file system and no {@code /tmp} volume), the Loki sink sends the JSON push instead of failing every push.
 * FakeLoki decodes both formats as Loki does.
 */
class PushFormatsTest {

    @TempDir
    Path dir;

    @Test
    void whereSnappyCannotLoadLokiGetsTheJsonPushAndTheUserIsToldWhy() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("tmp-is-a-file"), "");
        Path noLibraries = Files.createDirectories(dir.resolve("no-libraries"));
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(JavaCommand.of(
                        List.of(
                                "-Dorg.xerial.snappy.tempdir=" + notADirectory,
                                "-Djava.io.tmpdir=" + notADirectory,
                                "-Djava.library.path=" + noLibraries),
                        OnePush.class))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue())
                .as("stderr: %s", Files.readString(stderr))
                .isZero();
        assertThat(Files.readString(stdout).trim()).isEqualTo("application/json accepted [paid]");
        assertThat(Files.readString(stderr))
                .contains("snappy's native library cannot load")
                .contains("SIGHTLINE_LOKI_FORMAT=json");
    }

    @Test
    void whereSnappyLoadsTheConfiguredFormatIsKept() throws IOException {
        LokiSettings protobuf = LokiSettings.from(new MapSettings(Map.of("LOKI_URL", "http://127.0.0.1:1")));
        assertThat(PushFormats.usable(protobuf, Diagnostics.stderr("info"))).isSameAs(protobuf);
    }

    /** Builds the sink as the sidecar does and pushes one record; prints the push's content type and Loki's lines. */
    static final class OnePush {
        public static void main(String[] args) throws Exception {
            try (FakeLoki loki = FakeLoki.start()) {
                Sink sink = SinkFactory.create(
                        "loki",
                        new MapSettings(Map.of("LOKI_URL", loki.url().toString())),
                        new Identity("shop", "pod-1", "node-1", "app", null),
                        Diagnostics.stderr("info"));
                SendResult result = sink.send(List.of(new LogRecord(
                        "paid", 1_000_000_000L, "INFO", "checkout", "1.0", null, null, new SourcePosition("f", 0, 5))));
                System.out.println(loki.requests().get(0).header("Content-Type") + " "
                        + (result.fullyAccepted() ? "accepted" : "refused") + " "
                        + loki.entries().stream().map(e -> e.line()).toList());
            }
        }
    }
}
