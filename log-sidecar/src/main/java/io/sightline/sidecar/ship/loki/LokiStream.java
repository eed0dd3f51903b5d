package io.sightline.sidecar.ship.loki;

import io.sightline.sidecar.parse.LogRecord;
import java.util.List;

/** One Loki stream of a push: its labels and its entries in timestamp order. */
record LokiStream(StreamLabels labels, List<LogRecord> entries) {
}
