package io.sightline.collector.occurrence;

import io.sightline.collector.watch.KubeEvent;

/**
 * A new occurrence of an event: one record, and {@code increase} added to {@code sightline_kube_events_total}.
 */
public record Occurrence(KubeEvent event, long increase) {}
