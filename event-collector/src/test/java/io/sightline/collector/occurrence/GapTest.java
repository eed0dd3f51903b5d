package io.sightline.collector.occurrence;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static io.sightline.collector.occurrence.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

class GapTest {

    private static final Duration TTL = Duration.ofHours(1);

    @Test
    void checkpointYoungerThanTheTtlMeansNoGap() {
        assertThat(Gap.between(new Checkpoint(T0, T0.minus(TTL), Map.of()), T0.plus(TTL), TTL))
                .isEmpty();
    }

    @Test
    void checkpointOlderThanTheTtlIsAGapFromItUntilNowMinusTheTtl() {
        assertThat(Gap.between(
                        new Checkpoint(T0, T0.minus(TTL), Map.of()),
                        T0.plus(TTL).plusSeconds(90),
                        TTL))
                .contains(new Gap(T0, T0.plusSeconds(90)));
    }
}
