package io.sightline.local.check;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.sightline.testsupport.prometheus.PrometheusApi;
import io.sightline.testsupport.prometheus.PrometheusApi.Rule;

/**
 * Every copied rule was loaded and its expression evaluated against the live data without an error
 * ({@code health="ok"} in {@code /api/v1/rules}), so no rule of k8s-monitoring is silently broken.
 */
public final class RulesCheck {

    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final PrometheusApi prometheus;

    public RulesCheck(PrometheusApi prometheus) {
        this.prometheus = prometheus;
    }

    /** @param expectedAlertRules the alert rules copied from the rules directory */
    public void run(CheckReport report, int expectedAlertRules, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try {
            while (true) {
                List<Rule> rules = prometheus.rules();
                long alerts =
                        rules.stream().filter(r -> "alerting".equals(r.type())).count();
                List<String> unhealthy = rules.stream()
                        .filter(r -> !"ok".equals(r.health()))
                        .map(r -> r.name() + " (" + r.health() + (r.lastError().isEmpty() ? "" : ": " + r.lastError())
                                + ")")
                        .toList();
                if (alerts == expectedAlertRules && unhealthy.isEmpty() && expectedAlertRules > 0) {
                    report.passed(
                            "rules",
                            rules.size() + " rules (" + alerts + " alerting) loaded and evaluated without error");
                    return;
                }
                if (!Instant.now().isBefore(deadline)) {
                    report.failed(
                            "rules",
                            expectedAlertRules == 0
                                    ? "no alert rules were copied (see the start-up message)"
                                    : alerts + " of " + expectedAlertRules + " alert rules loaded"
                                            + (unhealthy.isEmpty()
                                                    ? ""
                                                    : "; failing: " + String.join("; ", unhealthy)));
                    return;
                }
                LockSupport.parkNanos(POLL_INTERVAL.toNanos());
            }
        } catch (IOException e) {
            report.failed("rules", "could not read the rules from Prometheus: " + e.getMessage());
        }
    }
}
