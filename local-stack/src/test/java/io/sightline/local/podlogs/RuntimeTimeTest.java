package io.sightline.local.podlogs;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** containerd's time stamps: Go's RFC3339Nano, trailing zeros of the fraction dropped. */
class RuntimeTimeTest {

    @Test
    void trailingZerosOfTheFractionAreDropped() {
        assertThat(RuntimeTime.format(Instant.parse("2016-10-06T00:17:09.669794200Z")))
                .isEqualTo("2016-10-06T00:17:09.6697942Z");
        assertThat(RuntimeTime.format(Instant.parse("2016-10-06T00:17:09.000000001Z")))
                .isEqualTo("2016-10-06T00:17:09.000000001Z");
    }

    @Test
    void aWholeSecondHasNoFraction() {
        assertThat(RuntimeTime.format(Instant.parse("2016-10-06T00:00:00Z"))).isEqualTo("2016-10-06T00:00:00Z");
    }
}
