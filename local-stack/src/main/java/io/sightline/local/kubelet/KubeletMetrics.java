package io.sightline.local.kubelet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import io.sightline.local.kubelet.ProcFs.NodeStats;
import io.sightline.local.kubelet.ProcFs.ProcessStats;

/**
 * The kubelet's three metrics endpoints, for the local processes, in the Prometheus text format (0.0.4) with the
 * real kubelet's family names, label names and sample timestamps (contract section 4).
 *
 * <ul>
 *   <li>{@code /metrics/cadvisor}, per container, with cAdvisor's labels ({@code container}, {@code id},
 *       {@code image}, {@code name}, {@code namespace}, {@code pod}) and a timestamp on every sample: CPU seconds
 *       ({@code cpu="total"}: the kubelet runs cAdvisor without per-CPU usage), the working set (here the resident
 *       set: a process has no page cache of its own to leave out), block-device bytes read and written
 *       ({@code device}), the memory limit (0 without one, as cAdvisor reports it) and, only where the cgroup has a
 *       CPU quota, the quota, period and CFS period counters.
 *   <li>{@code /metrics/resource}: the node's, each pod's and each container's CPU seconds and working set, and
 *       {@code resource_scrape_error}.
 *   <li>{@code /metrics}: the volume statistics of every mounted PersistentVolumeClaim ({@code namespace},
 *       {@code persistentvolumeclaim}; no timestamps, as the kubelet's own registry writes them) and the running
 *       pods and containers.
 * </ul>
 *
 * Families a real kubelet also writes and nothing here reads (cAdvisor's other families, the pod cgroups'
 * {@code container=""} series, {@code container_start_time_seconds}) are left out.
 */
public final class KubeletMetrics {

    /** One process's stats, as the container it stands for. */
    public record Reading(PodContainer container, ProcessStats stats) {}

    /** One mounted PersistentVolumeClaim's file system. */
    public record ClaimReading(String namespace, String claim, VolumeStats stats) {}

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private KubeletMetrics() {}

    /**
     * @param device the block device the processes' files are on, as cAdvisor names it ({@code /dev/vda}, or
     *     {@code major:minor} when it has no name)
     * @param timestampMillis when the readings were taken
     */
    public static String cadvisor(List<Reading> readings, String device, long timestampMillis) {
        Samples samples = new Samples(timestampMillis);
        samples.family(
                "container_cpu_usage_seconds_total",
                "counter",
                "Cumulative cpu time consumed in seconds.",
                readings,
                r -> cadvisorLabels(r.container(), "cpu", "total"),
                r -> Optional.of(r.stats().cpuSeconds()));
        samples.family(
                "container_memory_working_set_bytes",
                "gauge",
                "Current working set in bytes.",
                readings,
                r -> cadvisorLabels(r.container(), null, null),
                r -> Optional.of((double) r.stats().residentBytes()));
        samples.family(
                "container_spec_memory_limit_bytes",
                "gauge",
                "Memory limit for the container.",
                readings,
                r -> cadvisorLabels(r.container(), null, null),
                r -> Optional.of((double) r.stats().memoryLimitBytes()));
        samples.family(
                "container_fs_reads_bytes_total",
                "counter",
                "Cumulative count of bytes read",
                readings,
                r -> cadvisorLabels(r.container(), "device", device),
                r -> Optional.of((double) r.stats().readBytes()));
        samples.family(
                "container_fs_writes_bytes_total",
                "counter",
                "Cumulative count of bytes written",
                readings,
                r -> cadvisorLabels(r.container(), "device", device),
                r -> Optional.of((double) r.stats().writtenBytes()));
        samples.family(
                "container_spec_cpu_quota",
                "gauge",
                "CPU quota of the container.",
                readings,
                r -> cadvisorLabels(r.container(), null, null),
                r -> r.stats().cpu().map(q -> (double) q.quotaMicros()));
        samples.family(
                "container_spec_cpu_period",
                "gauge",
                "CPU period of the container.",
                readings,
                r -> cadvisorLabels(r.container(), null, null),
                r -> r.stats().cpu().map(q -> (double) q.periodMicros()));
        samples.family(
                "container_cpu_cfs_periods_total",
                "counter",
                "Number of elapsed enforcement period intervals.",
                readings,
                r -> cadvisorLabels(r.container(), null, null),
                r -> r.stats().cpu().map(q -> (double) q.periods()));
        samples.family(
                "container_cpu_cfs_throttled_periods_total",
                "counter",
                "Number of throttled period intervals.",
                readings,
                r -> cadvisorLabels(r.container(), null, null),
                r -> r.stats().cpu().map(q -> (double) q.throttledPeriods()));
        return samples.text();
    }

    /** @param node empty when /proc could not be read: the node families are left out, as on a failed stats call */
    public static String resource(Optional<NodeStats> node, List<Reading> readings, long timestampMillis) {
        Samples samples = new Samples(timestampMillis);
        List<NodeStats> nodes = node.stream().toList();
        samples.family(
                "container_cpu_usage_seconds_total",
                "counter",
                "[STABLE] Cumulative cpu time consumed by the container in core-seconds",
                readings,
                r -> resourceLabels(r.container(), true),
                r -> Optional.of(r.stats().cpuSeconds()));
        samples.family(
                "container_memory_working_set_bytes",
                "gauge",
                "[STABLE] Current working set of the container in bytes",
                readings,
                r -> resourceLabels(r.container(), true),
                r -> Optional.of((double) r.stats().residentBytes()));
        samples.family(
                "node_cpu_usage_seconds_total",
                "counter",
                "[STABLE] Cumulative cpu time consumed by the node in core-seconds",
                nodes,
                n -> "",
                n -> Optional.of(n.cpuSeconds()));
        samples.family(
                "node_memory_working_set_bytes",
                "gauge",
                "[STABLE] Current working set of the node in bytes",
                nodes,
                n -> "",
                n -> Optional.of((double) n.workingSetBytes()));
        List<List<Reading>> pods = podsOf(readings);
        samples.family(
                "pod_cpu_usage_seconds_total",
                "counter",
                "[STABLE] Cumulative cpu time consumed by the pod in core-seconds",
                pods,
                p -> resourceLabels(p.get(0).container(), false),
                p -> Optional.of(
                        p.stream().mapToDouble(r -> r.stats().cpuSeconds()).sum()));
        samples.family(
                "pod_memory_working_set_bytes",
                "gauge",
                "[STABLE] Current working set of the pod in bytes",
                pods,
                p -> resourceLabels(p.get(0).container(), false),
                p -> Optional.of((double)
                        p.stream().mapToLong(r -> r.stats().residentBytes()).sum()));
        Samples.header(
                samples.text,
                "resource_scrape_error",
                "gauge",
                "[STABLE] 1 if there was an error while getting container metrics, 0 otherwise");
        samples.text.append("resource_scrape_error 0\n");
        return samples.text();
    }

    public static String kubelet(List<PodContainer> containers, List<ClaimReading> claims) {
        // the kubelet's own registry: no timestamps
        Samples samples = new Samples(-1);
        volumeFamily(samples, "capacity_bytes", "Capacity in bytes of the volume", claims, s -> s.capacityBytes());
        volumeFamily(
                samples, "available_bytes", "Number of available bytes in the volume", claims, s -> s.availableBytes());
        volumeFamily(samples, "used_bytes", "Number of used bytes in the volume", claims, s -> s.usedBytes());
        volumeFamily(samples, "inodes", "Maximum number of inodes in the volume", claims, s -> s.inodes());
        volumeFamily(samples, "inodes_free", "Number of free inodes in the volume", claims, s -> s.inodesFree());
        volumeFamily(
                samples,
                "inodes_used",
                "Number of used inodes in the volume",
                claims,
                s -> s.inodes() - s.inodesFree());
        StringBuilder text = samples.text;
        Samples.header(text, "kubelet_running_pods", "gauge", "[ALPHA] Number of pods that have a running pod sandbox");
        text.append("kubelet_running_pods ")
                .append(containers.stream()
                        .map(c -> c.namespace() + "/" + c.pod())
                        .distinct()
                        .count())
                .append('\n');
        Samples.header(text, "kubelet_running_containers", "gauge", "[ALPHA] Number of containers currently running");
        text.append("kubelet_running_containers{container_state=\"running\"} ")
                .append(containers.size())
                .append('\n');
        return samples.text();
    }

    private static void volumeFamily(
            Samples samples, String suffix, String help, List<ClaimReading> claims, Function<VolumeStats, Long> value) {
        samples.family(
                "kubelet_volume_stats_" + suffix,
                "gauge",
                "[ALPHA] " + help,
                claims,
                c -> labels(Map.of("namespace", c.namespace(), "persistentvolumeclaim", c.claim())),
                c -> Optional.of((double) value.apply(c.stats())));
    }

    /** The readings grouped by pod, in the order the pods first appear. */
    private static List<List<Reading>> podsOf(List<Reading> readings) {
        Map<String, List<Reading>> pods = new LinkedHashMap<>();
        for (Reading reading : readings) {
            pods.computeIfAbsent(
                            reading.container().namespace() + "/"
                                    + reading.container().pod(),
                            k -> new ArrayList<>())
                    .add(reading);
        }
        return List.copyOf(pods.values());
    }

    /**
     * cAdvisor's label set: the cgroup {@code id}, the {@code image}, the runtime's {@code name}, the pod's, and the
     * family's own label when it has one.
     */
    private static String cadvisorLabels(PodContainer c, String extraName, String extraValue) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("container", c.container());
        if (extraName != null) {
            labels.put(extraName, extraValue);
        }
        labels.put("id", "/sightline-local/" + c.namespace() + "/" + c.pod() + "/" + c.container());
        labels.put("image", "sightline-local/" + c.container());
        labels.put("name", c.container() + "-" + c.pid());
        labels.put("namespace", c.namespace());
        labels.put("pod", c.pod());
        return labels(labels);
    }

    /** The resource endpoint's: {@code container} (for containers), {@code namespace}, {@code pod}. */
    private static String resourceLabels(PodContainer c, boolean withContainer) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (withContainer) {
            labels.put("container", c.container());
        }
        labels.put("namespace", c.namespace());
        labels.put("pod", c.pod());
        return labels(labels);
    }

    /** In the map's order (sorted by name, as the kubelet writes them). */
    private static String labels(Map<String, String> labels) {
        StringBuilder text = new StringBuilder("{");
        new TreeMap<>(labels).forEach((key, value) -> {
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

    /** The text of one endpoint, family by family. */
    private static final class Samples {

        private final StringBuilder text = new StringBuilder();
        private final long timestampMillis;

        /** @param timestampMillis written after every value; negative = none */
        Samples(long timestampMillis) {
            this.timestampMillis = timestampMillis;
        }

        /** All samples of one family together, as the text format requires; items without a value are left out. */
        <T> void family(
                String name,
                String type,
                String help,
                List<T> items,
                Function<T, String> labels,
                Function<T, Optional<Double>> value) {
            List<String> lines = new ArrayList<>();
            for (T item : items) {
                value.apply(item)
                        .ifPresent(v -> lines.add(name + labels.apply(item) + " " + v
                                + (timestampMillis >= 0 ? " " + timestampMillis : "")));
            }
            if (!lines.isEmpty()) {
                header(text, name, type, help);
                lines.forEach(line -> text.append(line).append('\n'));
            }
        }

        static void header(StringBuilder text, String name, String type, String help) {
            text.append("# HELP ").append(name).append(' ').append(help).append('\n');
            text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        String text() {
            return text.toString();
        }
    }
}
