package io.sightline.local;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkDirTest {

    @TempDir
    Path dir;

    @Test
    void emptiesItsOwnDirectoryFromThePreviousRun() throws Exception {
        Path root = dir.resolve("run");
        Path first = WorkDir.prepare(root);
        Files.writeString(
                Files.createDirectories(first.resolve("logs").resolve("demo-service-0"))
                        .resolve("app.log"),
                "{}\n");

        Path second = WorkDir.prepare(root);

        assertThat(second).isEqualTo(first);
        assertThat(second.resolve("logs")).doesNotExist();
        assertThat(second.resolve(WorkDir.MARKER)).exists();
    }

    @Test
    void neverEmptiesADirectoryItDidNotMake() throws Exception {
        Files.writeString(dir.resolve("precious.txt"), "keep me");

        assertThatThrownBy(() -> WorkDir.prepare(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not empty")
                .hasMessageContaining("--work-dir");
        assertThat(dir.resolve("precious.txt")).hasContent("keep me");
    }
}
