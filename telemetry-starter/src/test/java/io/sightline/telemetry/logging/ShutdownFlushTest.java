package io.sightline.telemetry.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sightline.testsupport.tool.JavaCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A separate JVM starts an application, logs a burst and lets {@code main} return: everything queued
 * reaches the file, because Spring Boot's shutdown hook stops logback and the queue is written out.
 */
class ShutdownFlushTest {

    private static final int EVENTS = 3000;

    /** Bounds a hung child JVM; not a speed target. */
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    @Test
    void normalExitWritesEveryQueuedEvent(@TempDir Path directory) throws IOException, InterruptedException {
        Path file = directory.resolve("app.log");
        Process child = new ProcessBuilder(JavaCommand.of(List.of(), BurstThenExit.class, file.toString()))
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("console.txt").toFile())
                .start();
        try {
            assertThat(child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .as("child JVM exited")
                    .isTrue();
        } finally {
            child.destroyForcibly();
        }

        assertThat(child.exitValue())
                .as(Files.readString(directory.resolve("console.txt")))
                .isZero();
        List<String> burst = Files.readAllLines(file).stream()
                .filter(line -> line.contains("burst event"))
                .toList();
        assertThat(burst).hasSize(EVENTS);
        assertThat(burst.get(EVENTS - 1)).contains("burst event " + (EVENTS - 1));
    }

    /** The child JVM's program. */
    public static final class BurstThenExit {

        public static void main(String[] args) {
            new SpringApplicationBuilder(Empty.class)
                    .web(WebApplicationType.NONE)
                    .run(
                            "--sightline.logging.file.path=" + args[0],
                            "--sightline.logging.format=text",
                            "--spring.main.banner-mode=off",
                            "--logging.level.root=WARN",
                            "--logging.level.burst=INFO");
            for (int i = 0; i < EVENTS; i++) {
                LoggerFactory.getLogger("burst").info("burst event {}", i);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {}
}
