package io.sightline.local.check;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LogFilesTest {

    @TempDir
    Path dir;

    @Test
    void countsNonBlankLinesOfTheLogFilesAndTheirRotatedPredecessors() throws Exception {
        Files.writeString(dir.resolve("app.log"), "{\"a\":1}\n\n  \n{\"a\":2}\r\n{\"a\":3}");
        Files.writeString(dir.resolve("app-2026-11-27.0.log"), "{\"a\":4}\n");
        Files.writeString(dir.resolve("app.log.1"), "{\"a\":5}\n{\"a\":6}\n");
        Files.writeString(dir.resolve("app.log.gz"), "not tailed\n");
        Files.createDirectories(dir.resolve(".sightline"))
                .resolve("checkpoint.log")
                .toFile()
                .createNewFile();

        assertThat(LogFiles.countRecords(dir)).isEqualTo(6);
    }

    @Test
    void emptyDirectoryHasNoRecords() throws Exception {
        assertThat(LogFiles.countRecords(dir)).isZero();
    }
}
