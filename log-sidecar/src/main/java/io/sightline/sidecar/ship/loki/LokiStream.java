package io.sightline.sidecar.ship.loki;

import io.sightline.sidecar.parse.LogRecord;
import java.util.List;

/**
 * One Loki stream of a push: its label pairs (sorted by name) and its entries in timestamp order.
 *
 * @param labelNames  label names, sorted
 * @param labelValues values, same order as {@code labelNames}
 * @param selector    the labels in LogQL selector syntax, as the protobuf format carries them
 */
record LokiStream(List<String> labelNames, List<String> labelValues, String selector, List<LogRecord> entries) {
}
