package io.sightline.collector.occurrence;

import io.sightline.collector.watch.KubeEvent;

/**
 * A record to write: the event's current state, {@code increase} to add to {@code sightline_kube_events_total}
 * (0 when a lost record is written again), and when the collector saw it (epoch ms, its own clock).
 */
public record Occurrence(KubeEvent event, long increase, long seenAtMillis) {}
