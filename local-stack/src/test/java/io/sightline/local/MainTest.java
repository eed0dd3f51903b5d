package io.sightline.local;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8));
        } finally {
            System.setErr(originalErr);
        }
    }

    @Test
    void helpPrintsTheOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--duration", "--check", "--loki-url");
    }

    @Test
    void aWrongOptionExitsWith2AndSaysWhy() {
        assertThat(run("--duration", "soon")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--duration needs a whole number", "Usage:");
    }

    @Test
    void aMissingDemoJarStopsBeforeAnythingStartsWithWhatToDo() {
        assertThat(run(
                        "--demo-jar",
                        dir.resolve("missing.jar").toString(),
                        "--work-dir",
                        dir.resolve("run").toString()))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.jar does not exist");
        assertThat(dir.resolve("run")).doesNotExist();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("sightline local: stopped");
    }
}
