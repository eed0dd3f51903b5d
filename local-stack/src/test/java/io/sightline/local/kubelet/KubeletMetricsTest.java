package io.sightline.local.kubelet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.sightline.local.kubelet.KubeletMetrics.Reading;
import io.sightline.local.kubelet.ProcFs.CpuQuota;
import io.sightline.local.kubelet.ProcFs.NodeStats;
import io.sightline.local.kubelet.ProcFs.ProcessStats;
import io.sightline.testsupport.tool.Tool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stand-in's endpoints speak the real kubelet's families, labels and sample timestamps (cAdvisor's
 * {@code cpu="total"} when per-CPU usage is off, as the kubelet runs it; {@code device} on block I/O;
 * {@code namespace} and {@code persistentvolumeclaim} on volume statistics; contract section 4) in a text format the
 * real {@code promtool check metrics} accepts.
 */
class KubeletMetricsTest {

    private static final Reading LIMITED = new Reading(
            new PodContainer("demo", "demo-service-0", "demo-service", 4242),
            new ProcessStats(
                    12.5, 262144000, 4096, 81920, 536870912, Optional.of(new CpuQuota(50000, 100000, 600, 150))));
    private static final Reading UNLIMITED = new Reading(
            new PodContainer("demo", "demo-service-0", "log-sidecar", 4343),
            new ProcessStats(1.25, 98304000, 0, 1024, 0, Optional.empty()));

    private static final long NOW = 1_700_000_000_123L;

    @TempDir
    Path dir;

    @Test
    void cadvisorReportsEveryContainerWithItsPodLabelsAndQuotasOnlyWhereThereIsOne() throws IOException {
        String text = KubeletMetrics.cadvisor(List.of(LIMITED, UNLIMITED), "/dev/vda", NOW);

        String app = "{container=\"demo-service\",id=\"/sightline-local/demo/demo-service-0/demo-service\","
                + "image=\"sightline-local/demo-service\",name=\"demo-service-4242\",namespace=\"demo\","
                + "pod=\"demo-service-0\"}";
        String sidecar = "{container=\"log-sidecar\",id=\"/sightline-local/demo/demo-service-0/log-sidecar\","
                + "image=\"sightline-local/log-sidecar\",name=\"log-sidecar-4343\",namespace=\"demo\","
                + "pod=\"demo-service-0\"}";
        assertThat(text.lines())
                .contains(
                        "# TYPE container_cpu_usage_seconds_total counter",
                        "container_cpu_usage_seconds_total" + with(app, "cpu", "total") + " 12.5 " + NOW,
                        "container_cpu_usage_seconds_total" + with(sidecar, "cpu", "total") + " 1.25 " + NOW,
                        "container_memory_working_set_bytes" + app + " 2.62144E8 " + NOW,
                        "container_spec_memory_limit_bytes" + app + " 5.36870912E8 " + NOW,
                        "container_spec_memory_limit_bytes" + sidecar + " 0.0 " + NOW,
                        "container_fs_reads_bytes_total" + with(app, "device", "/dev/vda") + " 4096.0 " + NOW,
                        "container_fs_writes_bytes_total" + with(sidecar, "device", "/dev/vda") + " 1024.0 " + NOW,
                        "container_spec_cpu_quota" + app + " 50000.0 " + NOW,
                        "container_spec_cpu_period" + app + " 100000.0 " + NOW,
                        "container_cpu_cfs_periods_total" + app + " 600.0 " + NOW,
                        "container_cpu_cfs_throttled_periods_total" + app + " 150.0 " + NOW);
        assertThat(text.lines().filter(l -> l.contains("log-sidecar") && l.contains("cpu_cfs")))
                .as("no quota, no CFS periods")
                .isEmpty();
        assertThat(promtoolLint(text)).isEqualTo("0 ");
    }

    @Test
    void noContainersNoFamilies() {
        assertThat(KubeletMetrics.cadvisor(List.of(), "/dev/vda", NOW)).isEmpty();
    }

    @Test
    void resourceReportsTheNodeThePodsAndTheirContainers() throws IOException {
        String resource = KubeletMetrics.resource(
                Optional.of(new NodeStats(3456.7, 2100000000)), List.of(LIMITED, UNLIMITED), NOW);

        String pod = "{namespace=\"demo\",pod=\"demo-service-0\"}";
        assertThat(resource.lines())
                .contains(
                        "node_cpu_usage_seconds_total 3456.7 " + NOW,
                        "node_memory_working_set_bytes 2.1E9 " + NOW,
                        "container_cpu_usage_seconds_total{container=\"demo-service\",namespace=\"demo\","
                                + "pod=\"demo-service-0\"} 12.5 " + NOW,
                        "container_memory_working_set_bytes{container=\"log-sidecar\",namespace=\"demo\","
                                + "pod=\"demo-service-0\"} 9.8304E7 " + NOW,
                        "pod_cpu_usage_seconds_total" + pod + " 13.75 " + NOW,
                        "pod_memory_working_set_bytes" + pod + " 3.60448E8 " + NOW,
                        "resource_scrape_error 0");
        assertThat(promtoolLint(resource)).isEqualTo("0 ");
    }

    @Test
    void kubeletReportsEveryClaimOnceWithItsNamespace() throws IOException {
        VolumeStats volume = new VolumeStats(10_000_000_000L, 4_000_000_000L, 5_500_000_000L, 655360, 600000);
        String kubelet = KubeletMetrics.kubelet(
                List.of(LIMITED.container(), UNLIMITED.container()),
                List.of(new KubeletMetrics.ClaimReading("monitoring", "data-prometheus-0", volume)));

        String claim = "{namespace=\"monitoring\",persistentvolumeclaim=\"data-prometheus-0\"}";
        assertThat(kubelet.lines())
                .contains(
                        "kubelet_volume_stats_capacity_bytes" + claim + " 1.0E10",
                        "kubelet_volume_stats_available_bytes" + claim + " 4.0E9",
                        "kubelet_volume_stats_used_bytes" + claim + " 5.5E9",
                        "kubelet_volume_stats_inodes" + claim + " 655360.0",
                        "kubelet_volume_stats_inodes_free" + claim + " 600000.0",
                        "kubelet_volume_stats_inodes_used" + claim + " 55360.0",
                        "kubelet_running_pods 1",
                        "kubelet_running_containers{container_state=\"running\"} 2");
        assertThat(promtoolLint(kubelet)).isEqualTo("0 ");
    }

    /** {@code labels} with one more label, which sorts right after {@code container} as cAdvisor orders them. */
    private static String with(String labels, String name, String value) {
        return labels.replaceFirst("(container=\"[^\"]*\")", "$1," + name + "=\"" + value + "\"");
    }

    @Test
    void labelValuesAreEscaped() {
        Reading odd = new Reading(
                new PodContainer("demo", "pod \"quoted\"\\", "c", 1),
                new ProcessStats(0, 0, 0, 0, 0, Optional.empty()));

        assertThat(KubeletMetrics.cadvisor(List.of(odd), "/dev/vda", NOW)).contains("pod=\"pod \\\"quoted\\\"\\\\\"");
    }

    /**
     * What the real {@code promtool check metrics} says of the text (it reads standard input): nothing when it parses
     * and follows the conventions.
     */
    private String promtoolLint(String text) throws IOException {
        Path file = Files.writeString(dir.resolve("metrics.txt"), text);
        Process promtool = new ProcessBuilder(Tool.PROMTOOL.require().toString(), "check", "metrics")
                .redirectInput(file.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return promtool.exitValue() + " " + output;
    }
}
