package io.sightline.local.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.sightline.testsupport.prometheus.FileSdScrapeJob;
import io.sightline.testsupport.yaml.Yaml;

/**
 * The kubelet jobs of the cluster's Prometheus configuration ({@code k8s-monitoring/base/prometheus/prometheus.yml}:
 * every job that discovers nodes), made to scrape the local stack's kubelet endpoints. Their relabel_configs and
 * metric_relabel_configs stay as written, so the local series get exactly the labels and drops the cluster's get;
 * only the discovery (a file listing {@link KubeletTarget}s) and the connection (plain HTTP on 127.0.0.1 instead of
 * HTTPS with a ServiceAccount token) differ ({@link FileSdScrapeJob}).
 */
public final class ClusterKubeletJobs {

    private final List<Map<String, Object>> jobs;

    private ClusterKubeletJobs(List<Map<String, Object>> jobs) {
        this.jobs = jobs;
    }

    /**
     * @param clusterConfig the cluster's {@code prometheus.yml}
     * @throws IOException when it cannot be read
     * @throws IllegalArgumentException when it has no job that discovers nodes
     */
    public static ClusterKubeletJobs read(Path clusterConfig) throws IOException {
        List<Map<String, Object>> nodeJobs =
                Yaml.maps(Yaml.load(Files.readString(clusterConfig)), "scrape_configs").stream()
                        .filter(job -> "node".equals(Yaml.text(job, "kubernetes_sd_configs", "0", "role")))
                        .toList();
        if (nodeJobs.isEmpty()) {
            throw new IllegalArgumentException(
                    clusterConfig + " has no scrape job with kubernetes_sd_configs role node (no kubelet jobs)");
        }
        return new ClusterKubeletJobs(nodeJobs);
    }

    /** The jobs' names, as their targets' {@code job} label. */
    public List<String> names() {
        return jobs.stream().map(job -> Yaml.text(job, "job_name")).toList();
    }

    /** The jobs, discovering the targets from {@code nodesFile} (see {@link ScrapeTargets#writeKubelets}). */
    public List<Map<String, Object>> localJobs(Path nodesFile) {
        return jobs.stream().map(job -> FileSdScrapeJob.of(job, nodesFile)).toList();
    }
}
