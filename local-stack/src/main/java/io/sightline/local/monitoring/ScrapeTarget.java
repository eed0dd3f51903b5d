package io.sightline.local.monitoring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One metrics endpoint of the local stack, described like the Kubernetes container it stands for, so it gets
 * the target labels the Kubernetes scrape relabeling gives (contract section 4): {@code namespace}, {@code pod},
 * {@code container}, {@code node}, and {@code job} = {@code <namespace>/<app label>}.
 *
 * @param address {@code host:port} Prometheus scrapes
 * @param metricsPath HTTP path of the metrics (the pod annotation {@code prometheus.io/path})
 */
public record ScrapeTarget(
        String namespace, String app, String pod, String container, String node, String address, String metricsPath) {

    public ScrapeTarget {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(address, "address");
        if (metricsPath == null || !metricsPath.startsWith("/")) {
            throw new IllegalArgumentException("metricsPath must start with '/': " + metricsPath);
        }
    }

    public String job() {
        return namespace + "/" + app;
    }

    /** The labels of the file_sd target group; {@code __metrics_path__} is consumed by Prometheus, not stored. */
    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("job", job());
        labels.put("namespace", namespace);
        labels.put("pod", pod);
        labels.put("container", container);
        labels.put("node", node);
        labels.put("__metrics_path__", metricsPath);
        return labels;
    }
}
