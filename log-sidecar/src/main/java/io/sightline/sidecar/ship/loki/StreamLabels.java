package io.sightline.sidecar.ship.loki;

import java.util.List;

/**
 * The label set of a stream in both shapes the push formats need.
 *
 * @param names    label names, sorted
 * @param values   values, same order as {@code names}
 * @param selector the labels in LogQL selector syntax, as the protobuf format carries them
 */
record StreamLabels(List<String> names, List<String> values, String selector) {}
