package io.sightline.local.traffic;

/**
 * Totals since the generator started. {@code failed} counts 5xx answers and requests that got no answer;
 * {@code skipped} counts ticks dropped because too many requests were still in flight (the rate is bounded,
 * never queued up); {@code burstSent}/{@code burstFailed} are the requests sent to the canary.
 */
public record TrafficStats(long sent, long failed, long slow, long skipped, long burstSent, long burstFailed) {}
