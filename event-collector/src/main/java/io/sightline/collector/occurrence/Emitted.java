package io.sightline.collector.occurrence;

/**
 * What a checkpoint says about one event uid: the count up to which records were written, when the collector saw
 * that count (epoch ms, its own clock), and whether nothing newer was pending (only such entries may be left out
 * when the checkpoint is too large; the horizon then covers them).
 */
record Emitted(long count, long seenAtMillis, boolean complete) {}
