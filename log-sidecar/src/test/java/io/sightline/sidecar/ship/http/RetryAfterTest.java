package io.sightline.sidecar.ship.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void delaySeconds() {
        assertThat(RetryAfter.parse("120", clock)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", clock)).isEqualTo(Duration.ZERO);
    }

    @Test
    void httpDateIsTheDelayUntilThen() {
        assertThat(RetryAfter.parse("Fri, 27 Nov 2026 12:00:30 GMT", clock)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void dateInThePastMeansNow() {
        assertThat(RetryAfter.parse("Fri, 27 Nov 2026 11:00:00 GMT", clock)).isEqualTo(Duration.ZERO);
    }

    @Test
    void farFutureDatesAndHugeDelaysAreReadWithoutOverflow() {
        assertThat(RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", clock))
                .isGreaterThan(Duration.ofDays(365L * 7000));
        assertThat(RetryAfter.parse("9223372036854775807", clock)).isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
    }

    @Test
    void absentOrUnreadableLeavesBackOffToTheDeliveryStage() {
        assertThat(RetryAfter.parse(null, clock)).isNull();
        assertThat(RetryAfter.parse("", clock)).isNull();
        assertThat(RetryAfter.parse("soon", clock)).isNull();
        assertThat(RetryAfter.parse("-5", clock)).isNull();
        assertThat(RetryAfter.parse("99999999999999999999999", clock)).isNull();
    }
}
