package io.sightline.testsupport.loki;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides, entry by entry, what Loki stores and refuses, with Loki's messages. It remembers each stream's newest
 * accepted timestamp for the out-of-order window, so it is used by one thread at a time.
 */
final class StreamValidator {

    private final LokiLimits limits;
    private final Map<Map<String, String>, Long> newestPerStream = new HashMap<>();

    StreamValidator(LokiLimits limits) {
        this.limits = limits;
    }

    /** Null when Loki would store the entry (and it is remembered as stored); otherwise why Loki refuses it. */
    String refusal(Entry entry) {
        String problem = problem(entry);
        if (problem == null) {
            newestPerStream.merge(entry.labels(), entry.timestampNanos(), Math::max);
        }
        return problem;
    }

    private String problem(Entry entry) {
        Map<String, String> labels = entry.labels();
        if (labels.isEmpty()) {
            return "error at least one label pair is required per stream";
        }
        if (labels.size() > limits.maxLabelNames()) {
            return "stream '" + labels + "' has " + labels.size() + " label names; limit " + limits.maxLabelNames();
        }
        for (String name : labels.keySet()) {
            if (!LokiLimits.LABEL_NAME.matcher(name).matches()) {
                return "error parsing labels " + labels + ": invalid label name '" + name + "'";
            }
        }
        int size = entry.line().getBytes(StandardCharsets.UTF_8).length;
        if (size > limits.maxLineBytes()) {
            return "Max entry size '" + limits.maxLineBytes() + "' bytes exceeded for stream '" + labels
                    + "' while adding an entry with length '" + size + "' bytes";
        }
        Long newest = newestPerStream.get(labels);
        long oldestAcceptable = newest == null
                ? Long.MIN_VALUE
                : newest - limits.outOfOrderWindow().toNanos();
        if (entry.timestampNanos() < oldestAcceptable) {
            return "entry for stream '" + labels + "' has timestamp too old: " + entry.timestampNanos()
                    + ", oldest acceptable timestamp is: " + oldestAcceptable;
        }
        return null;
    }
}
