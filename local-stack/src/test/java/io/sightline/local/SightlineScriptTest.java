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
 * {@code install_tools} of {@code ./sightline}, which {@code ./sightline local} (through {@code local_tools}) and
 * {@code ./sightline test} share: the script is sourced by the real bash with a PATH of stand-ins ({@code id} says
 * who runs it, {@code apt-get} records what it was asked and answers as told), so nothing is installed.
 */
class SightlineScriptTest {

    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("sightline");

    @TempDir
    Path bin;

    private String run(String uid, String... present) throws IOException, InterruptedException {
        return call("install_tools 'meanwhile it runs without them'", uid, 0, present);
    }

    /** Runs {@code function} of the sourced script; {@code apt-get} exits with {@code aptGetExit}. */
    private String call(String function, String uid, int aptGetExit, String... present)
            throws IOException, InterruptedException {
        script("id", "echo " + uid);
        script("apt-get", "echo \"$*\" >> \"" + bin.resolve("apt-get.log") + "\"; exit " + aptGetExit);
        for (String tool : present) {
            script(tool, "exit 0");
        }
        ProcessBuilder builder = new ProcessBuilder(
                        "/bin/bash", "-c", ". \"$1\"; " + function, "bash", SCRIPT.toString())
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

    @Test
    void whenAptGetFailsItSaysSoAndPrintsTheOneCommand() throws Exception {
        String output = call("install_tools 'meanwhile it runs without them'", "0", 100, "promtool", "prometheus");

        assertThat(output)
                .contains(
                        "apt-get could not install prometheus-alertmanager",
                        "install with: sudo apt-get install -y --no-install-recommends prometheus"
                                + " prometheus-alertmanager",
                        "meanwhile it runs without them");
        assertThat(aptGetCalls()).containsExactly("update -qq");
    }

    @Test
    void localInstallsTheToolsUnlessItRunsWithoutMetrics() throws Exception {
        String withMetrics = call("local_tools --duration 90 --check", "0", 0);
        assertThat(withMetrics).contains("installing prometheus prometheus-alertmanager (Debian)");
        assertThat(aptGetCalls())
                .containsExactly(
                        "update -qq", "install -y -qq --no-install-recommends prometheus prometheus-alertmanager");

        Files.delete(bin.resolve("apt-get.log"));
        assertThat(call("local_tools --duration 90 --no-metrics", "0", 0)).isEmpty();
        assertThat(call("local_tools --help", "0", 0)).isEmpty();
        assertThat(aptGetCalls()).isEmpty();
    }
}
