package io.sightline.collector.occurrence;

import java.time.Instant;

import io.sightline.collector.watch.KubeEvent;

/** Small events for the rule tests. */
final class TestEvents {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private TestEvents() {}

    static KubeEvent event(String uid, String namespace, String reason, String type, long count, Instant occurredAt) {
        return new KubeEvent(
                uid,
                namespace,
                "web-1." + uid,
                T0,
                "Pod",
                "web-1",
                reason,
                type,
                "message",
                count,
                occurredAt,
                T0,
                "kubelet",
                "node-1");
    }

    static KubeEvent event(String uid, long count, Instant occurredAt) {
        return event(uid, "shop", "BackOff", "Warning", count, occurredAt);
    }
}
