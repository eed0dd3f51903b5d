package io.sightline.local.check;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

import io.sightline.local.monitoring.ScrapeTarget;
import io.sightline.testsupport.prometheus.PrometheusApi;

/**
 * Prometheus scraped every target ({@code up == 1}) and stored it under the labels the Kubernetes relabeling
 * gives ({@code namespace}, {@code pod}, {@code container}, {@code node}, {@code job}); the services' request
 * metrics arrived for every pod.
 */
public final class ScrapeCheck {

    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final PrometheusApi prometheus;
    private final List<ScrapeTarget> expected;

    public ScrapeCheck(PrometheusApi prometheus, List<ScrapeTarget> expected) {
        this.prometheus = prometheus;
        this.expected = List.copyOf(expected);
    }

    public void run(CheckReport report, String serviceNamespace, List<String> servicePods, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<String> problems = List.of("not queried yet");
        try {
            while (true) {
                problems = targetProblems(prometheus.query("up"));
                if (problems.isEmpty()) {
                    problems = requestMetricProblems(serviceNamespace, servicePods);
                }
                if (problems.isEmpty()) {
                    report.passed(
                            "prometheus scrape",
                            expected.size() + " targets up with their Kubernetes labels;" + " request metrics from "
                                    + String.join(", ", servicePods));
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    report.failed("prometheus scrape", String.join("; ", problems));
                    return;
                }
                LockSupport.parkNanos(POLL_INTERVAL.toNanos());
            }
        } catch (IOException e) {
            report.failed("prometheus scrape", "could not query Prometheus: " + e.getMessage());
        }
    }

    List<String> targetProblems(List<PrometheusApi.Sample> up) {
        List<String> problems = new ArrayList<>();
        for (ScrapeTarget target : expected) {
            PrometheusApi.Sample sample = up.stream()
                    .filter(s -> target.pod().equals(s.labels().get("pod"))
                            && target.container().equals(s.labels().get("container")))
                    .findFirst()
                    .orElse(null);
            String name = target.pod() + "/" + target.container();
            if (sample == null) {
                problems.add(name + " not scraped");
                continue;
            }
            if (sample.value() != 1) {
                problems.add(name + " down (up=" + sample.value() + ")");
            }
            Map<String, String> labels = sample.labels();
            for (Map.Entry<String, String> wanted : target.labels().entrySet()) {
                if (!wanted.getKey().startsWith("__")
                        && !Objects.equals(labels.get(wanted.getKey()), wanted.getValue())) {
                    problems.add(name + " has " + wanted.getKey() + "=" + labels.get(wanted.getKey()) + ", expected "
                            + wanted.getValue());
                }
            }
        }
        return problems;
    }

    private List<String> requestMetricProblems(String namespace, List<String> pods) throws IOException {
        List<PrometheusApi.Sample> perPod = prometheus.query(
                "count by (pod) (http_server_requests_seconds_count{namespace=\"" + namespace + "\"})");
        List<String> problems = new ArrayList<>();
        for (String pod : pods) {
            if (perPod.stream().noneMatch(s -> pod.equals(s.labels().get("pod")))) {
                problems.add("no http_server_requests_seconds_count from " + pod);
            }
        }
        return problems;
    }
}
