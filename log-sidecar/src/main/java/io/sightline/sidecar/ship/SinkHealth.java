package io.sightline.sidecar.ship;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether the sink can be used, for {@code /readyz}: it cannot while it is unreachable (connection
 * errors, timeouts) or refuses who we are or where we send (401, 403, 404, 407). A sink that answers
 * at all, even 429 or 5xx, is reachable. Not ready once that has lasted the ready window.
 */
public final class SinkHealth {

    private final long windowNanos;
    private final LongSupplier nanoTime;
    private long failingSinceNanos;
    private boolean failing;
    private String problem;

    public SinkHealth(Duration window, LongSupplier nanoTime) {
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    synchronized void usable() {
        failing = false;
        problem = null;
    }

    synchronized void unusable(String why) {
        if (!failing) {
            failing = true;
            failingSinceNanos = nanoTime.getAsLong();
        }
        problem = why;
    }

    /** Why the sidecar is not ready, or null when it is. */
    public synchronized String notReadyReason() {
        return failing && nanoTime.getAsLong() - failingSinceNanos >= windowNanos ? problem : null;
    }
}
