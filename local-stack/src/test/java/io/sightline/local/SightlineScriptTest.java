package io.sightline.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code install_tools} of {@code ./sightline}, which {@code ./sightline local} and {@code ./sightline test} share:
 * the script is sourced by the real bash with a PATH of stand-ins ({@code id} says who runs it, {@code apt-get}
 * records what it was asked), so nothing is installed.
 */
class SightlineScriptTest {

    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("sightline");

    @TempDir
    Path bin;

    private String run(String uid, String... present) throws IOException, InterruptedException {
        script("id", "echo " + uid);
        script("apt-get", "echo \"$*\" >> \"" + bin.resolve("apt-get.log") + "\"");
        for (String tool : present) {
            script(tool, "exit 0");
        }
        ProcessBuilder builder = new ProcessBuilder(
                        "/bin/bash",
                        "-c",
                        ". \"$1\"; install_tools 'meanwhile it runs without them'",
                        "bash",
                        SCRIPT.toString())
                .redirectErrorStream(true);
        // only the stand-ins: no real promtool, id or apt-get is found
        builder.environment().put("PATH", bin.toString());
        Process bash = builder.start();
        bash.getOutputStream().close();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(output).isZero();
        return output;
    }

    private void script(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> aptGetCalls() throws IOException {
        Path log = bin.resolve("apt-get.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void asRootWithAptItInstallsWhatIsMissing() throws Exception {
        String output = run("0", "promtool", "prometheus");

        assertThat(output).contains("installing prometheus-alertmanager (Debian)");
        assertThat(aptGetCalls())
                .containsExactly("update -qq", "install -y -qq --no-install-recommends prometheus-alertmanager");
    }

    @Test
    void otherwiseItPrintsTheOneCommandAndWhatHappensMeanwhile() throws Exception {
        String output = run("1000");

        assertThat(output)
                .contains(
                        "prometheus prometheus-alertmanager missing; install with: sudo apt-get install -y"
                                + " --no-install-recommends prometheus prometheus-alertmanager",
                        "meanwhile it runs without them");
        assertThat(aptGetCalls()).isEmpty();
    }

    @Test
    void nothingWhenEverythingIsThere() throws Exception {
        String output = run("0", "promtool", "prometheus", "amtool", "alertmanager");

        assertThat(output).isEmpty();
        assertThat(aptGetCalls()).isEmpty();
    }
}
