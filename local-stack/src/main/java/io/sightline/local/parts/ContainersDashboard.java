package io.sightline.local.parts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.sightline.dashboards.Dashboard;
import io.sightline.dashboards.DashboardQueries;
import io.sightline.local.check.CheckReport;
import io.sightline.local.check.DashboardDataCheck;
import io.sightline.local.check.DashboardDataCheck.NotApplicable;
import io.sightline.testsupport.prometheus.PromDuration;
import io.sightline.testsupport.prometheus.PrometheusApi;

/**
 * The Containers dashboard ({@code sightline-containers}) against the kubelet stand-in: its {@code --check} stage
 * runs every query of the dashboard on the live Prometheus, which must accept each and return data for each, except
 * the queries of series nothing here can produce (kube-state-metrics, per-pod networks, and the cgroup limits when
 * no process has one), listed with the reason. Added after {@link Monitoring}, so it is checked while
 * Prometheus and the stand-in still run; it starts nothing.
 */
public final class ContainersDashboard implements StackPart {

    static final String UID = "sightline-containers";

    private static final Duration DATA_TIMEOUT = Duration.ofSeconds(30);
    private static final String NO_KUBE_STATE_METRICS = "kube-state-metrics' series, which need a Kubernetes API";
    private static final List<NotApplicable> NOT_HERE = List.of(
            new NotApplicable(Pattern.compile("\\bkube_|:ratio_request\\b"), NO_KUBE_STATE_METRICS),
            new NotApplicable(
                    Pattern.compile("\\bcontainer_network_"),
                    "network per pod, which needs a network namespace per pod (the processes share this machine's)"));
    private static final NotApplicable NO_MEMORY_LIMIT = new NotApplicable(
            Pattern.compile("\\bcontainer_spec_memory_limit_bytes\\b|container_memory_working_set_bytes:ratio_limit"),
            "memory limits, which no process here runs with (cgroup memory limit)");
    private static final NotApplicable NO_CPU_QUOTA = new NotApplicable(
            Pattern.compile("\\bcontainer_spec_cpu_|\\bcontainer_cpu_cfs_|container_cpu_usage:ratio_limit"),
            "CPU limits and throttling, which no process here runs with (cgroup CPU quota)");

    private final StackContext context;
    private final Monitoring monitoring;
    private final KubeletStandIn kubelet;

    public ContainersDashboard(StackContext context, Monitoring monitoring, KubeletStandIn kubelet) {
        this.context = context;
        this.monitoring = monitoring;
        this.kubelet = kubelet;
    }

    @Override
    public void start() {}

    /** "containers dashboard"; nothing with {@code --no-metrics}. */
    @Override
    public void check(CheckReport report) {
        if (!context.options().metrics()) {
            return;
        }
        Optional<PrometheusApi> prometheus = monitoring.prometheus();
        Path file = context.options().dashboards().resolve(UID + ".json");
        if (prometheus.isEmpty()) {
            report.failed(
                    "containers dashboard", "not checked: prometheus is not installed (see the start-up message)");
            return;
        }
        if (!Files.isRegularFile(file)) {
            report.failed(
                    "containers dashboard",
                    "not checked: no " + file.toAbsolutePath() + " (run from the repository root, or pass"
                            + " --dashboards-dir)");
            return;
        }
        Dashboard dashboard = Dashboard.load(file);
        new DashboardDataCheck(prometheus.get(), dashboard, values(dashboard))
                .run(
                        report,
                        "containers dashboard",
                        notApplicable(),
                        "Kubernetes events in Loki, which need the event-collector and so a Kubernetes API",
                        DATA_TIMEOUT);
    }

    /** Every variable at All, and {@code $__rate_interval} as Grafana sets it for this stack's scrape interval. */
    static Map<String, String> values(Dashboard dashboard) {
        Map<String, String> values = new HashMap<>(DashboardQueries.allSelected(dashboard));
        values.put("__rate_interval", PromDuration.format(Monitoring.SCRAPE_INTERVAL.multipliedBy(4)));
        return values;
    }

    private List<NotApplicable> notApplicable() {
        List<NotApplicable> reasons = new ArrayList<>(NOT_HERE);
        if (!kubelet.anyMemoryLimit()) {
            reasons.add(NO_MEMORY_LIMIT);
        }
        if (!kubelet.anyCpuQuota()) {
            reasons.add(NO_CPU_QUOTA);
        }
        return reasons;
    }

    @Override
    public void close() {}
}
