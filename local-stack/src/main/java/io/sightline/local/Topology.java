package io.sightline.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sightline.local.monitoring.ScrapeTarget;

/**
 * The names the local stack gives its parts, as if they ran in Kubernetes: the demo instances are pods
 * {@code demo-service-0..N} of namespace {@code demo} (app {@code demo-service}), each with a {@code demo-service}
 * and a {@code log-sidecar} container; the canary (a bad release that takes traffic only during the failure burst)
 * is pod {@code demo-service-canary} of the same app; Prometheus and Alertmanager are pods of the stack's namespace
 * {@code sightline}.
 */
final class Topology {

    static final String NAMESPACE = "demo";
    static final String APP = "demo-service";
    static final String APP_CONTAINER = "demo-service";
    static final String SIDECAR_CONTAINER = "log-sidecar";
    static final String MONITORING_NAMESPACE = "sightline";

    /**
     * One demo service instance with its sidecar: the "pod".
     *
     * @param failureRatio the service's {@code demo.failure-ratio}
     */
    record Instance(String pod, double failureRatio, int httpPort, int managementPort, int sidecarPort, Path logDir) {

        URI baseUrl() {
            return URI.create("http://127.0.0.1:" + httpPort);
        }

        URI readinessUrl() {
            return URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness");
        }

        URI sidecarHealthUrl() {
            return URI.create("http://127.0.0.1:" + sidecarPort + "/healthz");
        }

        URI sidecarMetricsUrl() {
            return URI.create("http://127.0.0.1:" + sidecarPort + "/metrics");
        }

        Path logFile() {
            return logDir.resolve("app.log");
        }

        /** Where the sidecar keeps its checkpoints: next to the logs, as on the shared volume in Kubernetes. */
        Path checkpointDir() {
            return logDir.resolve(".sightline");
        }
    }

    private Topology() {}

    static String pod(int index) {
        return APP + "-" + index;
    }

    static final String CANARY_POD = APP + "-canary";

    /** The scrape targets of the demo pods (service and sidecar containers), labelled like in Kubernetes. */
    static List<ScrapeTarget> serviceTargets(List<Instance> instances, String node) {
        List<ScrapeTarget> targets = new ArrayList<>();
        for (Instance instance : instances) {
            targets.add(new ScrapeTarget(
                    NAMESPACE,
                    APP,
                    instance.pod(),
                    APP_CONTAINER,
                    node,
                    "127.0.0.1:" + instance.managementPort(),
                    "/actuator/prometheus"));
            targets.add(new ScrapeTarget(
                    NAMESPACE,
                    APP,
                    instance.pod(),
                    SIDECAR_CONTAINER,
                    node,
                    "127.0.0.1:" + instance.sidecarPort(),
                    "/metrics"));
        }
        return targets;
    }

    /** A monitoring component (Prometheus, Alertmanager) scraped like its StatefulSet pod {@code <app>-0}. */
    static ScrapeTarget monitoringTarget(String app, int port, String node) {
        return new ScrapeTarget(MONITORING_NAMESPACE, app, app + "-0", app, node, "127.0.0.1:" + port, "/metrics");
    }
}
