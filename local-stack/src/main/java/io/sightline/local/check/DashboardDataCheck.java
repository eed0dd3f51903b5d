package io.sightline.local.check;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import io.sightline.dashboards.Dashboard;
import io.sightline.dashboards.DashboardQueries;
import io.sightline.dashboards.DashboardQuery;
import io.sightline.dashboards.QueryLanguage;
import io.sightline.testsupport.prometheus.PrometheusApi;

/**
 * Every query of a dashboard against the live Prometheus: each PromQL query (panel targets and variable selectors,
 * variables substituted) must be accepted, and each must return data at some point within the timeout, except the
 * queries of series the local stack cannot have, which are listed with the reason. LogQL queries are listed as not
 * applicable with the reason given for them.
 */
public final class DashboardDataCheck {

    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    /** Queries whose expression matches {@code pattern} cannot return data here, for {@code reason}. */
    public record NotApplicable(Pattern pattern, String reason) {}

    private final PrometheusApi prometheus;
    private final Dashboard dashboard;
    private final Map<String, String> values;

    /** @param values a value for every variable the dashboard uses (see {@link DashboardQueries#substitute}) */
    public DashboardDataCheck(PrometheusApi prometheus, Dashboard dashboard, Map<String, String> values) {
        this.prometheus = prometheus;
        this.dashboard = dashboard;
        this.values = Map.copyOf(values);
    }

    /**
     * @param notApplicable the first that matches a PromQL query decides why it has no data here
     * @param logqlReason why the dashboard's LogQL queries are not run here
     */
    public void run(
            CheckReport report, String stage, List<NotApplicable> notApplicable, String logqlReason, Duration timeout) {
        Map<String, Integer> skipped = new TreeMap<>();
        Map<DashboardQuery, String> awaitingData = new LinkedHashMap<>();
        List<String> rejected = new ArrayList<>();
        int total = 0;
        try {
            for (DashboardQuery query : DashboardQueries.of(dashboard)) {
                total++;
                if (query.language() == QueryLanguage.LOGQL) {
                    skipped.merge(logqlReason, 1, Integer::sum);
                    continue;
                }
                String expression = query.substituted(values);
                PrometheusApi.QueryResult result = prometheus.evaluate(expression);
                if (!result.succeeded()) {
                    rejected.add(query + ": " + result.errorType() + " " + result.error());
                    continue;
                }
                Optional<String> reason = notApplicable.stream()
                        .filter(n -> n.pattern().matcher(expression).find())
                        .map(NotApplicable::reason)
                        .findFirst();
                if (reason.isPresent()) {
                    skipped.merge(reason.get(), 1, Integer::sum);
                } else if (result.resultCount() == 0) {
                    awaitingData.put(query, expression);
                }
            }
            int expected = total
                    - skipped.values().stream().mapToInt(Integer::intValue).sum()
                    - rejected.size();
            Instant deadline = Instant.now().plus(timeout);
            while (rejected.isEmpty()
                    && !awaitingData.isEmpty()
                    && Instant.now().isBefore(deadline)) {
                LockSupport.parkNanos(POLL_INTERVAL.toNanos());
                for (var it = awaitingData.entrySet().iterator(); it.hasNext(); ) {
                    if (prometheus.evaluate(it.next().getValue()).resultCount() > 0) {
                        it.remove();
                    }
                }
            }
            String notHere = skipped.isEmpty()
                    ? ""
                    : "; not applicable here: "
                            + String.join(
                                    "; ",
                                    skipped.entrySet().stream()
                                            .map(e -> e.getKey() + " (" + e.getValue() + ")")
                                            .toList());
            if (!rejected.isEmpty()) {
                report.failed(stage, "Prometheus rejected " + String.join("; ", rejected));
            } else if (!awaitingData.isEmpty()) {
                report.failed(
                        stage,
                        "no data for "
                                + String.join(
                                        ", ",
                                        awaitingData.keySet().stream()
                                                .map(DashboardQuery::toString)
                                                .toList())
                                + notHere);
            } else {
                report.passed(stage, expected + " of " + total + " queries returned data" + notHere);
            }
        } catch (IOException e) {
            report.failed(stage, "could not query Prometheus: " + e.getMessage());
        }
    }
}
