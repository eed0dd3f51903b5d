package io.sightline.collector.occurrence;

/**
 * What has been emitted for one event uid: its count at the last record, and when that occurrence happened
 * (epoch milliseconds; used to prune the checkpoint to the event TTL).
 */
record Emitted(long count, long occurredAtMillis) {}
