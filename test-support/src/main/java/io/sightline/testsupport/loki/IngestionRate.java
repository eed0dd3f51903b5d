package io.sightline.testsupport.loki;

/** Loki's per-tenant ingestion rate limit, in bytes of lines per second, over one-second windows. */
final class IngestionRate {

    private final long bytesPerSecond;
    private long windowStartNanos = System.nanoTime();
    private long bytesInWindow;

    IngestionRate(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    static IngestionRate unlimited() {
        return new IngestionRate(Long.MAX_VALUE);
    }

    long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** True, and counted, when {@code bytes} more fit into the current second. */
    boolean admit(long bytes) {
        long now = System.nanoTime();
        if (now - windowStartNanos >= 1_000_000_000L) {
            windowStartNanos = now;
            bytesInWindow = 0;
        }
        if (bytesInWindow + bytes > bytesPerSecond) {
            return false;
        }
        bytesInWindow += bytes;
        return true;
    }
}
