package io.sightline.local.kubelet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.sightline.local.kubelet.ProcFs.NodeStats;
import io.sightline.local.kubelet.ProcFs.ProcessStats;

/**
 * The kubelet's three metrics endpoints, for the local processes, in the Prometheus text format (0.0.4) with the
 * names and labels a kubelet uses (contract section 4). {@code /metrics/cadvisor}: per container
 * ({@code namespace}, {@code pod}, {@code container}, plus cAdvisor's {@code id}, {@code image}, {@code name}) the
 * CPU seconds, the working set (here the resident set: a process has no page cache of its own to leave out), the
 * block-device bytes read and written, the memory limit (0 without one, as cAdvisor reports it) and, where the
 * cgroup has a CPU quota, the quota, period and CFS period counters. {@code /metrics/resource}: the node's CPU
 * seconds and working set. {@code /metrics}: the running pods and containers (no volume statistics: the local
 * processes mount no PersistentVolumeClaims).
 */
public final class KubeletMetrics {

    /** One process's stats, as the container it stands for. */
    public record Reading(PodContainer container, ProcessStats stats) {}

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private KubeletMetrics() {}

    public static String cadvisor(List<Reading> readings) {
        StringBuilder text = new StringBuilder();
        family(
                text,
                "container_cpu_usage_seconds_total",
                "counter",
                "Cumulative cpu time consumed in seconds.",
                readings,
                r -> Optional.of(r.stats().cpuSeconds()));
        family(
                text,
                "container_memory_working_set_bytes",
                "gauge",
                "Current working set in bytes.",
                readings,
                r -> Optional.of((double) r.stats().residentBytes()));
        family(
                text,
                "container_spec_memory_limit_bytes",
                "gauge",
                "Memory limit for the container.",
                readings,
                r -> Optional.of((double) r.stats().memoryLimitBytes()));
        family(
                text,
                "container_fs_reads_bytes_total",
                "counter",
                "Cumulative count of bytes read",
                readings,
                r -> Optional.of((double) r.stats().readBytes()));
        family(
                text,
                "container_fs_writes_bytes_total",
                "counter",
                "Cumulative count of bytes written",
                readings,
                r -> Optional.of((double) r.stats().writtenBytes()));
        family(text, "container_spec_cpu_quota", "gauge", "CPU quota of the container.", readings, r -> r.stats()
                .cpu()
                .map(q -> (double) q.quotaMicros()));
        family(text, "container_spec_cpu_period", "gauge", "CPU period of the container.", readings, r -> r.stats()
                .cpu()
                .map(q -> (double) q.periodMicros()));
        family(
                text,
                "container_cpu_cfs_periods_total",
                "counter",
                "Number of elapsed enforcement period intervals.",
                readings,
                r -> r.stats().cpu().map(q -> (double) q.periods()));
        family(
                text,
                "container_cpu_cfs_throttled_periods_total",
                "counter",
                "Number of throttled period intervals.",
                readings,
                r -> r.stats().cpu().map(q -> (double) q.throttledPeriods()));
        return text.toString();
    }

    public static String resource(Optional<NodeStats> node) {
        StringBuilder text = new StringBuilder();
        node.ifPresent(n -> {
            header(
                    text,
                    "node_cpu_usage_seconds_total",
                    "counter",
                    "Cumulative cpu time consumed by the node in core-seconds");
            text.append("node_cpu_usage_seconds_total ").append(n.cpuSeconds()).append('\n');
            header(text, "node_memory_working_set_bytes", "gauge", "Current working set of the node in bytes");
            text.append("node_memory_working_set_bytes ")
                    .append(n.workingSetBytes())
                    .append('\n');
        });
        return text.toString();
    }

    public static String kubelet(List<PodContainer> containers) {
        StringBuilder text = new StringBuilder();
        header(text, "kubelet_running_pods", "gauge", "Number of pods that have a running pod sandbox");
        text.append("kubelet_running_pods ")
                .append(containers.stream()
                        .map(c -> c.namespace() + "/" + c.pod())
                        .distinct()
                        .count())
                .append('\n');
        header(text, "kubelet_running_containers", "gauge", "Number of containers currently running");
        text.append("kubelet_running_containers{container_state=\"running\"} ")
                .append(containers.size())
                .append('\n');
        return text.toString();
    }

    /** All samples of one family together, as the text format requires; readings without a value are left out. */
    private static void family(
            StringBuilder text,
            String name,
            String type,
            String help,
            List<Reading> readings,
            Function<Reading, Optional<Double>> value) {
        List<String> samples = new ArrayList<>();
        for (Reading reading : readings) {
            value.apply(reading).ifPresent(v -> samples.add(name + labels(reading.container()) + " " + v));
        }
        if (!samples.isEmpty()) {
            header(text, name, type, help);
            samples.forEach(sample -> text.append(sample).append('\n'));
        }
    }

    private static void header(StringBuilder text, String name, String type, String help) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** cAdvisor's label set: the cgroup {@code id}, the {@code image}, the runtime's {@code name}, and the pod's. */
    private static String labels(PodContainer c) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("container", c.container());
        labels.put("id", "/sightline-local/" + c.namespace() + "/" + c.pod() + "/" + c.container());
        labels.put("image", "sightline-local/" + c.container());
        labels.put("name", c.container() + "-" + c.pid());
        labels.put("namespace", c.namespace());
        labels.put("pod", c.pod());
        StringBuilder text = new StringBuilder("{");
        labels.forEach((key, value) -> {
            if (text.length() > 1) {
                text.append(',');
            }
            text.append(key).append("=\"").append(escape(value)).append('"');
        });
        return text.append('}').toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
