package io.sightline.testsupport.prometheus;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes scrape job of the cluster's {@code prometheus.yml}, made runnable on 127.0.0.1: Kubernetes discovery
 * becomes file-based discovery (the file holds the {@code __meta_kubernetes_*} labels the real discovery would give),
 * and the connection settings meant for the cluster (HTTPS, the ServiceAccount's token and CA) give way to plain HTTP
 * to a local endpoint. Everything that decides which targets and series survive, and with which labels
 * ({@code relabel_configs}, {@code metric_relabel_configs}, {@code metrics_path}, {@code honor_labels},
 * {@code honor_timestamps}), is kept as written.
 */
public final class FileSdScrapeJob {

    /** The fields of a job that only say how to reach and authenticate to the cluster's endpoints. */
    private static final List<String> CLUSTER_CONNECTION = List.of(
            "kubernetes_sd_configs",
            "scheme",
            "authorization",
            "bearer_token_file",
            "bearer_token",
            "tls_config",
            "basic_auth",
            "oauth2",
            "proxy_url");

    private FileSdScrapeJob() {}

    /**
     * @param job one entry of {@code scrape_configs}, as parsed from the cluster configuration
     * @param targetsFile the file_sd file (JSON or YAML) that stands in for its Kubernetes discovery
     * @throws IllegalArgumentException when the job does not use Kubernetes discovery
     */
    public static Map<String, Object> of(Map<String, Object> job, Path targetsFile) {
        if (!job.containsKey("kubernetes_sd_configs")) {
            throw new IllegalArgumentException(
                    "scrape job " + job.get("job_name") + " has no kubernetes_sd_configs to stand in for");
        }
        Map<String, Object> local = new LinkedHashMap<>(job);
        CLUSTER_CONNECTION.forEach(local::remove);
        local.put("file_sd_configs", List.of(Map.of("files", List.of(targetsFile.toString()))));
        return local;
    }
}
