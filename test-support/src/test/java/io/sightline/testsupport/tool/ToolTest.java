package io.sightline.testsupport.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The "require a tool" rule: found on PATH, else skipped locally with the install command, else failed in CI. */
class ToolTest {

    @TempDir
    Path bin;

    private final Tool alertmanager =
            new Tool("apt-get install prometheus-alertmanager", "prometheus-alertmanager", "alertmanager");

    private Path executable(String name, String script) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void findsTheFirstInstalledNameOnThePath() throws IOException {
        Path installed = executable("alertmanager", "exit 0");

        assertThat(alertmanager
                        .withEnvironment(Map.of("PATH", "/nonexistent:" + bin))
                        .require())
                .isEqualTo(installed);
    }

    @Test
    void aFileThatIsNotExecutableDoesNotCount() throws IOException {
        Files.writeString(bin.resolve("alertmanager"), "not a program");

        assertThat(alertmanager.withEnvironment(Map.of("PATH", bin.toString())).locate())
                .isEmpty();
    }

    @Test
    void missingLocallySkipsTheTestWithTheInstallCommand() {
        Tool missing = alertmanager.withEnvironment(Map.of("PATH", bin.toString()));

        assertThatThrownBy(missing::require)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("prometheus-alertmanager or alertmanager is not on the PATH")
                .hasMessageContaining("apt-get install prometheus-alertmanager")
                .hasMessageContaining("fails when CI=true");
    }

    @Test
    void missingInCiFailsTheTest() {
        for (String ci : new String[] {"true", "TRUE"}) {
            Tool missing = alertmanager.withEnvironment(Map.of("PATH", bin.toString(), "CI", ci));

            assertThatThrownBy(missing::require)
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("apt-get install prometheus-alertmanager")
                    .hasMessageContaining("CI=true");
        }
    }

    @Test
    void otherCiValuesStillSkip() {
        Tool missing = alertmanager.withEnvironment(Map.of("PATH", bin.toString(), "CI", "false"));

        assertThatThrownBy(missing::require).isInstanceOf(TestAbortedException.class);
    }

    @Test
    void runReturnsExitCodeAndCombinedOutput() throws IOException {
        executable("alertmanager", "echo \"out $1\"; echo err >&2; exit 3");
        Tool tool = alertmanager.withEnvironment(Map.of("PATH", bin.toString()));

        Tool.Result result = tool.run(bin, "arg");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("out arg", "err");
        assertThatThrownBy(result::assertSuccess)
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("exited with 3")
                .hasMessageContaining("out arg");
        executable("alertmanager", "echo fine");
        assertThat(tool.run(bin).assertSuccess()).isEqualTo("fine\n");
    }

    @Test
    void startedServersWriteTheirLogAndStop() throws Exception {
        executable("alertmanager", "echo started; exec sleep 600");
        Tool tool = alertmanager.withEnvironment(Map.of("PATH", bin.toString()));
        Path log = bin.resolve("server.log");

        Process process = tool.start(bin, log);
        await().until(() -> Files.readString(log).contains("started"));
        Tool.stop(process);

        assertThat(process.isAlive()).isFalse();
    }
}
