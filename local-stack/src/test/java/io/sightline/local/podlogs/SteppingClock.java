package io.sightline.local.podlogs;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock one second further at every reading, so that each rotation gets a stamp of its own. */
final class SteppingClock extends Clock {

    private final AtomicLong seconds;

    SteppingClock(Instant start) {
        this.seconds = new AtomicLong(start.getEpochSecond());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochSecond(seconds.getAndIncrement(), 123_456_000);
    }
}
