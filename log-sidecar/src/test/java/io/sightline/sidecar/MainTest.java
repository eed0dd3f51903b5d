package io.sightline.sidecar;

import java.io.IOException;
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
                .containsExactlyElementsOf(SettingsTable.all()
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
