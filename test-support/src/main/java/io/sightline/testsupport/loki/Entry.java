package io.sightline.testsupport.loki;

import java.util.Map;

/** One log entry of a push, with the labels of the stream it was pushed under and its structured metadata. */
public record Entry(Map<String, String> labels, long timestampNanos, String line, Map<String, String> metadata) {}
