package io.sightline.sidecar;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.sidecar.config.Setting;
import io.sightline.sidecar.config.SettingsTable;
import io.sightline.testsupport.loki.FakeLoki;
import io.sightline.testsupport.tool.JavaCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The real entry point in a separate JVM: {@code --help}, and start-up stopped by an invalid setting. */
class MainTest {

    @TempDir
    Path dir;

    @Test
    void helpPrintsTheReferenceOfEverySetting() throws Exception {
        Result result = run(Map.of(), "--help");
        assertThat(result.exitCode()).isZero();
        List<String> keys = new ArrayList<>();
        Matcher matcher = Pattern.compile("(?m)^(SIGHTLINE_[A-Z_]+|LOKI_[A-Z_]+|OPENSEARCH_[A-Z_]+)")
                .matcher(result.stdout());
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        assertThat(keys)
                .containsExactlyElementsOf(SettingsTable.all().stream()
                        .map(Setting::name)
                        .filter(name -> name.matches("(SIGHTLINE|LOKI|OPENSEARCH)_.*"))
                        .toList());
        assertThat(result.stdout()).contains("SIGHTLINE_MAX_IN_FLIGHT_BYTES    4MiB");
    }

    @Test
    void anInvalidSettingStopsStartUpNamingIt() throws Exception {
        Result result = run(Map.of("SIGHTLINE_SINK", "kafka", "SIGHTLINE_CHECKPOINT_DIR", dir.toString()));
        assertThat(result.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(result.stderr())
                .contains("SIGHTLINE_SINK")
                .contains("kafka")
                .contains("loki, opensearch, stdout")
                .contains("--help");
    }

    /*
     * The sink is built on a thread of its own while the first file is read (issue 16): start-up must still stop
     * with the sink's own error before anything is sent. The fake Loki (test-support) counts what reaches it.
     */

    @Test
    void anUnusableSinkSettingStopsStartUpBeforeAnythingIsSent() throws Exception {
        try (FakeLoki loki = FakeLoki.start()) {
            Map<String, String> env = shippingTo(loki);
            env.put("LOKI_CA_FILE", dir.resolve("ca.pem").toString()); // with an http:// URL: refused
            Result result = run(env);
            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(Main.EXIT_CONFIG);
            assertThat(result.stderr())
                    .contains("configuration error")
                    .contains("LOKI_CA_FILE")
                    .contains("--help");
            assertThat(loki.requestCount()).isZero();
        }
    }

    @Test
    void anUnusableSinkIsReportedBeforeAnUnusableCheckpointDirectory() throws Exception {
        try (FakeLoki loki = FakeLoki.start()) {
            Map<String, String> env = shippingTo(loki);
            env.put("LOKI_CA_FILE", dir.resolve("ca.pem").toString());
            env.put(
                    "SIGHTLINE_CHECKPOINT_DIR",
                    Files.writeString(dir.resolve("not-a-directory"), "x").toString());
            Result result = run(env);
            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(Main.EXIT_CONFIG);
            assertThat(result.stderr()).contains("LOKI_CA_FILE").doesNotContain("SIGHTLINE_CHECKPOINT_DIR");
            assertThat(loki.requestCount()).isZero();
        }
    }

    @Test
    void aBusyManagementPortStopsStartUpBeforeAnythingIsSent() throws Exception {
        try (FakeLoki loki = FakeLoki.start();
                ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = shippingTo(loki);
            env.put("SIGHTLINE_METRICS_PORT", Integer.toString(busy.getLocalPort()));
            Result result = run(env);
            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(Main.EXIT_STARTUP);
            assertThat(result.stderr()).contains("cannot start");
            assertThat(loki.requestCount()).isZero();
        }
    }

    /** A sidecar reading a file of JSON lines from its start and shipping to {@code loki}. */
    private Map<String, String> shippingTo(FakeLoki loki) throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            lines.append("{\"message\":\"line ").append(i).append("\"}\n");
        }
        Files.writeString(logs.resolve("app.log"), lines);
        Map<String, String> env = TestSupport.settings(logs, dir.resolve("checkpoints"));
        env.put("SIGHTLINE_SINK", "loki");
        env.put("LOKI_URL", loki.url().toString());
        return env;
    }

    private record Result(int exitCode, String stdout, String stderr) {}

    private Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(
                JavaCommand.of(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1"), Main.class, args));
        builder.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
