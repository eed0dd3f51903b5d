package io.sightline.sidecar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sightline.testsupport.tool.JavaCommand;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs a class's {@code main} in a JVM of its own with this class path, for tests that watch the JVM itself. */
public final class OwnJvm {

    private OwnJvm() {}

    /**
     * Runs {@code main} with one JVM option, its output in {@code dir}; asserts that it finishes with exit code 0 and
     * returns its standard output.
     */
    public static String run(Path dir, String jvmOption, Class<?> main) throws IOException, InterruptedException {
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(JavaCommand.of(List.of(jvmOption), main))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES))
                .as("%s finishes; stderr: %s", main.getSimpleName(), Files.readString(stderr))
                .isTrue();
        assertThat(process.exitValue())
                .as("stderr: %s", Files.readString(stderr))
                .isZero();
        return Files.readString(stdout);
    }
}
