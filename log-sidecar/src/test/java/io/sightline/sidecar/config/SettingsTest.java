package io.sightline.sidecar.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsWorkWithoutAnySetting() {
        SidecarConfig config = SidecarConfig.from(new MapSettings(Map.of()));
        assertThat(config.sink()).isEqualTo("loki");
        assertThat(config.inputGlobs()).containsExactly("/var/log/app/*.log");
        assertThat(config.batchMaxBytes()).isEqualTo(1 << 20);
        assertThat(config.batchMaxWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.maxInFlightBytes()).isEqualTo(4 << 20);
        assertThat(config.maxLineBytes()).isEqualTo(256 << 10);
        assertThat(config.checkpointDir()).isEqualTo(Path.of("/var/log/app/.sightline"));
        assertThat(config.metricsPort()).isEqualTo(9095);
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void invalidValuesNameTheSettingAndWhatItAccepts() {
        assertThatThrownBy(() -> config("SIGHTLINE_SINK", "kafka"))
                .hasMessageContaining("SIGHTLINE_SINK")
                .hasMessageContaining("kafka")
                .hasMessageContaining("loki, opensearch, stdout");
        assertThatThrownBy(() -> config("SIGHTLINE_BATCH_MAX_BYTES", "lots"))
                .hasMessageContaining("SIGHTLINE_BATCH_MAX_BYTES")
                .hasMessageContaining("1MiB");
        assertThatThrownBy(() -> config("SIGHTLINE_BATCH_MAX_WAIT", "soon"))
                .hasMessageContaining("SIGHTLINE_BATCH_MAX_WAIT")
                .hasMessageContaining("10s");
        assertThatThrownBy(() -> config("SIGHTLINE_METRICS_PORT", "70000"))
                .hasMessageContaining("SIGHTLINE_METRICS_PORT")
                .hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> config("SIGHTLINE_MULTILINE", "yes"))
                .hasMessageContaining("SIGHTLINE_MULTILINE")
                .hasMessageContaining("true, false");
        assertThatThrownBy(() -> config("SIGHTLINE_READ_FROM", "middle"))
                .hasMessageContaining("SIGHTLINE_READ_FROM")
                .hasMessageContaining("beginning, end");
        assertThatThrownBy(() -> config("SIGHTLINE_INPUT_GLOBS", "logs/*.log"))
                .hasMessageContaining("SIGHTLINE_INPUT_GLOBS")
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> config("SIGHTLINE_MAX_IN_FLIGHT_BYTES", "1MiB"))
                .hasMessageContaining("SIGHTLINE_MAX_IN_FLIGHT_BYTES")
                .hasMessageContaining("twice SIGHTLINE_BATCH_MAX_BYTES");
        assertThatThrownBy(() -> config("SIGHTLINE_POLL_INTERVAL", "0s"))
                .hasMessageContaining("SIGHTLINE_POLL_INTERVAL")
                .hasMessageContaining("above zero");
        assertThatThrownBy(() -> config("SIGHTLINE_RETRY_MAX_BACKOFF", "10ms"))
                .hasMessageContaining("SIGHTLINE_RETRY_MAX_BACKOFF")
                .hasMessageContaining("SIGHTLINE_RETRY_INITIAL_BACKOFF");
    }

    @Test
    void sizesAndDurationsAcceptTheDocumentedUnits() {
        Parser<Long> size = Parser.size(0, 1L << 40);
        assertThat(size.parse("512")).isEqualTo(512);
        assertThat(size.parse("256KiB")).isEqualTo(256 * 1024);
        assertThat(size.parse("2MiB")).isEqualTo(2 * 1024 * 1024);
        assertThat(size.parse("1gib")).isEqualTo(1L << 30);
        Parser<Duration> duration = Parser.duration();
        assertThat(duration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(duration.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(duration.parse("1h")).isEqualTo(Duration.ofHours(1));
        for (String tooLarge : List.of("1025", "2KiB", "99999999999999999999GiB")) {
            assertThatThrownBy(() -> Parser.size(0, 1024).parse(tooLarge))
                    .as(tooLarge)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> duration.parse("999999999h")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Sizes and durations are read by hand (issue 16): the same values as the regular expressions took before. */
    @Test
    void sizesAndDurationsAreReadAsTheReferenceSays() {
        Parser<Long> size = Parser.size(0, 1L << 40);
        assertThat(size.parse("1 KiB")).isEqualTo(1024);
        assertThat(size.parse("7b")).isEqualTo(7);
        assertThat(size.parse("3\tMIB")).isEqualTo(3 << 20);
        for (String refused :
                List.of("1KB", "1.5MiB", "-1", "KiB", "1 KiB B", "\u0661", "1 k", "1234567890123456789")) {
            assertThatThrownBy(() -> size.parse(refused)).as(refused).isInstanceOf(IllegalArgumentException.class);
        }
        Parser<Duration> duration = Parser.duration();
        assertThat(duration.parse("500 MS")).isEqualTo(Duration.ofMillis(500));
        assertThat(duration.parse("24h")).isEqualTo(Duration.ofDays(1));
        for (String refused :
                List.of("10", "1.5s", "-1s", "0ms", "25h", "s", "1d", "\u0661s", "1000000000ms", "1 s x")) {
            assertThatThrownBy(() -> duration.parse(refused)).as(refused).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * The guide's tables (docs/log-sidecar.md) list exactly the settings of {@link SettingsTable}, each
     * with the same default; and every setting's default is a value its own parser accepts.
     */
    @Test
    void theGuidesTablesListEverySettingWithItsDefault() throws Exception {
        Map<String, String> documented = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\| ((?:`[A-Z_]+`(?:, )?)+) \\| ([^|]+) \\|")
                .matcher(Files.readString(Path.of("../docs/log-sidecar.md")));
        while (row.find()) {
            Matcher name = Pattern.compile("`([A-Z_]+)`").matcher(row.group(1));
            while (name.find()) {
                assertThat(documented.put(name.group(1), row.group(2).strip().replace("`", "")))
                        .as("%s documented twice", name.group(1))
                        .isNull();
            }
        }
        Map<String, String> defined = new TreeMap<>();
        SettingsTable.all().forEach(setting -> defined.put(setting.name(), setting.shownDefault()));
        assertThat(documented).isEqualTo(defined);
        SettingsTable.all().stream()
                .filter(setting -> setting.defaultText() != null)
                .forEach(setting -> assertThat(setting.value(new MapSettings(Map.of())))
                        .as(setting.name())
                        .isNotNull());
    }

    @Test
    void unknownKeysInTheFileAreErrorsNotSilentlyIgnored() throws Exception {
        Path file = dir.resolve("sidecar.yaml");
        Files.writeString(file, "SIGHTLINE_BATCH_MAX_BYTE: 2MiB\n");
        assertThatThrownBy(() -> MapSettings.load(Map.of(), Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SIGHTLINE_BATCH_MAX_BYTE")
                .hasMessageContaining("--help");
    }

    @Test
    void yamlFileIsOverriddenByTheEnvironment() throws Exception {
        Path file = dir.resolve("sidecar.yaml");
        Files.writeString(
                file, "SIGHTLINE_SINK: opensearch\nSIGHTLINE_BATCH_MAX_BYTES: 2MiB\nSIGHTLINE_MULTILINE: false\n");
        MapSettings settings = MapSettings.load(
                Map.of("SIGHTLINE_CONFIG_FILE", file.toString(), "SIGHTLINE_SINK", "stdout"), Optional.empty());
        SidecarConfig config = SidecarConfig.from(settings);
        assertThat(config.sink()).isEqualTo("stdout");
        assertThat(config.batchMaxBytes()).isEqualTo(2 << 20);
        assertThat(config.multiline()).isFalse();
    }

    @Test
    void unusableYamlFilesAreExplained() throws Exception {
        Path nested = dir.resolve("nested.yaml");
        Files.writeString(nested, "loki:\n  url: http://loki:3100\n");
        assertThatThrownBy(() -> MapSettings.load(Map.of(), Optional.of(nested)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("loki")
                .hasMessageContaining("single value");
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "SIGHTLINE_SINK: [unclosed\n");
        assertThatThrownBy(() -> MapSettings.load(Map.of(), Optional.of(broken)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> MapSettings.load(Map.of(), Optional.of(dir.resolve("missing.yaml"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("SIGHTLINE_CONFIG_FILE");
    }

    private static SidecarConfig config(String key, String value) {
        return SidecarConfig.from(new MapSettings(Map.of(key, value)));
    }
}
