package io.sightline.testsupport.prometheus;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromDurationTest {

    @Test
    void parsesSingleAndCompoundDurations() {
        assertThat(PromDuration.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(PromDuration.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(PromDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(PromDuration.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(PromDuration.parse("1w")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void rejectsWhatPrometheusRejects() {
        assertThatThrownBy(() -> PromDuration.parse("5 m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 m");
        assertThatThrownBy(() -> PromDuration.parse("1.5h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromDuration.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsWholeSecondsAndMilliseconds() {
        assertThat(PromDuration.format(Duration.ofSeconds(15))).isEqualTo("15s");
        assertThat(PromDuration.format(Duration.ofMinutes(2))).isEqualTo("120s");
        assertThat(PromDuration.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
