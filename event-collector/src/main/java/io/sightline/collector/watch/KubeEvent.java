package io.sightline.collector.watch;

import java.time.Instant;

/**
 * One Kubernetes Event reduced to what the collector needs, whichever API it came from
 * ({@code events.k8s.io/v1} or {@code core/v1}).
 *
 * @param uid                 the event object's uid: the identity used for de-duplication
 * @param namespace           the event object's namespace ({@code default} for events about cluster-scoped objects)
 * @param eventName           the event object's name (a recreated event keeps it under a new uid)
 * @param created             when the API server created the event object (its clock, not the reporter's)
 * @param kind                kind of the involved object
 * @param name                name of the involved object
 * @param reason              machine-readable reason, e.g. {@code BackOff}
 * @param type                {@code Normal} or {@code Warning}
 * @param message             human-readable note
 * @param count               how often it has occurred so far (at least 1)
 * @param occurredAt          time of the latest occurrence
 * @param firstSeen           time of the first occurrence
 * @param reportingController component that reported it
 * @param reportingInstance   instance of that component
 */
public record KubeEvent(
        String uid,
        String namespace,
        String eventName,
        Instant created,
        String kind,
        String name,
        String reason,
        String type,
        String message,
        long count,
        Instant occurredAt,
        Instant firstSeen,
        String reportingController,
        String reportingInstance) {

    public boolean isWarning() {
        return "Warning".equals(type);
    }
}
