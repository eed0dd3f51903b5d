package io.sightline.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LaunchOptionsTest {

    @Test
    void defaultsRunUntilCtrlCWithTheEmbeddedOpenSearch() {
        LaunchOptions options = LaunchOptions.parse(List.of());

        assertThat(options.duration()).isNull();
        assertThat(options.check()).isFalse();
        assertThat(options.lokiUrl()).isNull();
        assertThat(options.workDir()).isEqualTo(Path.of(".sightline-local"));
        assertThat(options.instances()).isEqualTo(2);
        assertThat(options.requestsPerSecond()).isPositive();
        assertThat(options.metrics()).isTrue();
        assertThat(options.shortenRuleWaits()).isTrue();
    }

    @Test
    void aBurstNeedsTrafficAndALength() {
        assertThat(LaunchOptions.parse(List.of()).hasBurst()).isTrue();
        assertThat(LaunchOptions.parse(List.of("--rate", "0")).hasBurst()).isFalse();
        assertThat(LaunchOptions.parse(List.of("--burst-length", "0")).hasBurst())
                .isFalse();
    }

    @Test
    void parsesEveryOption() {
        LaunchOptions options = LaunchOptions.parse(List.of(
                "--duration",
                "90",
                "--check",
                "--loki-url",
                "http://127.0.0.1:3100",
                "--work-dir",
                "target/run",
                "--demo-jar",
                "demo.jar",
                "--rules-dir",
                "rules",
                "--dashboards-dir",
                "dash",
                "--instances",
                "3",
                "--rate",
                "7.5",
                "--burst-after",
                "10",
                "--burst-length",
                "0",
                "--keep-rule-waits",
                "--no-metrics"));

        assertThat(options)
                .isEqualTo(new LaunchOptions(
                        Duration.ofSeconds(90),
                        true,
                        URI.create("http://127.0.0.1:3100"),
                        Path.of("target/run"),
                        Path.of("demo.jar"),
                        Path.of("rules"),
                        Path.of("dash"),
                        3,
                        7.5,
                        Duration.ofSeconds(10),
                        Duration.ZERO,
                        false,
                        false));
    }

    @Test
    void explainsWhatIsWrong() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--check"))).hasMessageContaining("--duration");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--duration")))
                .hasMessageContaining("--duration needs a value");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--duration", "soon")))
                .hasMessageContaining("'soon'");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--duration", "0")))
                .hasMessageContaining("above 0");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--loki-url", "loki:3100")))
                .hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--rate", "-1"))).hasMessageContaining("0 to 1000");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--instances", "10")))
                .hasMessageContaining("1 to 9");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--verbose")))
                .hasMessageContaining("unknown option '--verbose'");
    }

    @Test
    void usageListsEveryOption() {
        for (String option : List.of(
                "--duration",
                "--check",
                "--loki-url",
                "--work-dir",
                "--demo-jar",
                "--rules-dir",
                "--dashboards-dir",
                "--instances",
                "--rate",
                "--burst-after",
                "--burst-length",
                "--keep-rule-waits",
                "--no-metrics",
                "--help")) {
            assertThat(LaunchOptions.USAGE).contains(option);
        }
    }
}
