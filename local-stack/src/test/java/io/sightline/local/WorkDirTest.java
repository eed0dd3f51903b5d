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
        WorkDir first = WorkDir.prepare(root);
        Files.writeString(first.dir("logs", "demo-service-0").resolve("app.log"), "{}\n");

        WorkDir second = WorkDir.prepare(root);

        assertThat(second.root().resolve("logs")).doesNotExist();
        assertThat(second.root().resolve(WorkDir.MARKER)).exists();
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
