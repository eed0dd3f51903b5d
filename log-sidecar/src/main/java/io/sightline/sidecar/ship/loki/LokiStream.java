package io.sightline.sidecar.ship.loki;

import java.util.List;

import io.sightline.sidecar.parse.LogRecord;

/** One Loki stream of a push: its labels and its entries in timestamp order. */
record LokiStream(StreamLabels labels, List<LogRecord> entries) {}
