package io.sightline.collector.watch;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sightline.collector.config.CollectorProperties.EventApiChoice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Events API being read: {@code events.k8s.io/v1} where the server has it, else {@code core/v1}. */
public enum EventApi {
    EVENTS_V1,
    CORE_V1;

    private static final Logger log = LoggerFactory.getLogger(EventApi.class);

    /** Resolves {@code auto} by API discovery. */
    public static EventApi resolve(EventApiChoice choice, KubernetesClient client) {
        return switch (choice) {
            case EVENTS_V1 -> EVENTS_V1;
            case CORE_V1 -> CORE_V1;
            case AUTO -> {
                boolean hasEventsV1;
                try {
                    hasEventsV1 = client.supports(io.fabric8.kubernetes.api.model.events.v1.Event.class);
                } catch (KubernetesClientException e) {
                    // core/v1 events are served by every Kubernetes version; the informers retry until reachable
                    log.warn(
                            "API discovery failed ({}); reading core/v1 events. Set sightline.collector.api to "
                                    + "choose the API explicitly.",
                            e.getMessage());
                    yield CORE_V1;
                }
                if (!hasEventsV1) {
                    log.info("The API server does not serve events.k8s.io/v1; reading core/v1 events");
                }
                yield hasEventsV1 ? EVENTS_V1 : CORE_V1;
            }
        };
    }
}
