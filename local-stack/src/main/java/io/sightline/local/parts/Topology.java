package io.sightline.local.parts;

import io.sightline.local.monitoring.ScrapeTarget;

/**
 * The names the local stack gives its parts, as if they ran in Kubernetes: the demo instances are pods
 * {@code demo-service-0..N} of namespace {@code demo} (app {@code demo-service}), each with a {@code demo-service}
 * and a {@code log-sidecar} container; the canary (a bad release that takes traffic only during the failure burst)
 * is pod {@code demo-service-canary} of the same app; Prometheus and Alertmanager are pods of namespace
 * {@code monitoring}.
 */
public final class Topology {

    public static final String NAMESPACE = "demo";
    public static final String APP = "demo-service";
    public static final String APP_CONTAINER = "demo-service";
    public static final String SIDECAR_CONTAINER = "log-sidecar";
    public static final String MONITORING_NAMESPACE = "monitoring";
    public static final String CANARY_POD = APP + "-canary";

    private Topology() {}

    public static String pod(int index) {
        return APP + "-" + index;
    }

    /** A container of a demo pod, scraped at {@code 127.0.0.1:port}. */
    static ScrapeTarget demoTarget(String pod, String container, String node, int port, String metricsPath) {
        return new ScrapeTarget(NAMESPACE, APP, pod, container, node, "127.0.0.1:" + port, metricsPath);
    }

    /** A monitoring component (Prometheus, Alertmanager) scraped like its StatefulSet pod {@code <app>-0}. */
    static ScrapeTarget monitoringTarget(String app, int port, String node) {
        return new ScrapeTarget(MONITORING_NAMESPACE, app, app + "-0", app, node, "127.0.0.1:" + port, "/metrics");
    }
}
