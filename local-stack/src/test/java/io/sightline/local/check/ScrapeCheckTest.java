package io.sightline.local.check;

import java.util.List;
import java.util.Map;

import io.sightline.local.monitoring.ScrapeTarget;
import io.sightline.testsupport.prometheus.PrometheusApi;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScrapeCheckTest {

    private final ScrapeTarget sidecar = new ScrapeTarget(
            "demo", "demo-service", "demo-service-1", "log-sidecar", "host-a", "127.0.0.1:9195", "/metrics");

    @Test
    void scrapeCheckNamesMissingDownAndMislabelledTargets() {
        ScrapeTarget app = new ScrapeTarget(
                "demo",
                "demo-service",
                "demo-service-1",
                "demo-service",
                "host-a",
                "127.0.0.1:8181",
                "/actuator/prometheus");
        ScrapeCheck check = new ScrapeCheck(null, List.of(sidecar, app));

        List<String> problems = check.targetProblems(List.of(new PrometheusApi.Sample(
                Map.of(
                        "job",
                        "demo/demo-service",
                        "namespace",
                        "demo",
                        "pod",
                        "demo-service-1",
                        "container",
                        "log-sidecar",
                        "node",
                        "other-host"),
                0)));

        assertThat(problems)
                .containsExactly(
                        "demo-service-1/log-sidecar down (up=0.0)",
                        "demo-service-1/log-sidecar has node=other-host, expected host-a",
                        "demo-service-1/demo-service not scraped");
    }
}
