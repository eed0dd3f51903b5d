package io.sightline.collector.occurrence;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A time range in which occurrences may have been lost for good: nobody was leading, and events that changed in
 * it have expired (the API server keeps an event for the event TTL after its last change) before a leader could
 * list them. The checkpoint says until when the previous leader had a complete view; a leader refreshes it at
 * least every tenth of the TTL, also on a quiet cluster, so a crash is not mistaken for a gap.
 */
record Gap(Instant from, Instant to) {

    /** A gap exists when the last checkpoint is older than the TTL: what changed right after it is gone now. */
    static Optional<Gap> between(Checkpoint last, Instant now, Duration eventTtl) {
        Instant expiredBefore = now.minus(eventTtl).truncatedTo(ChronoUnit.MILLIS);
        return last.savedAt().isBefore(expiredBefore)
                ? Optional.of(new Gap(last.savedAt(), expiredBefore))
                : Optional.empty();
    }
}
