package io.sightline.dashboards;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.sightline.testsupport.prometheus.PrometheusApi.QueryResult;
import io.sightline.testsupport.prometheus.PrometheusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every PromQL expression of every dashboard (panel targets, annotations, variable selectors), with the
 * variables substituted, is accepted by a real Prometheus (the Debian package's binary, started on
 * 127.0.0.1 with an empty configuration): a parse error would come back as {@code bad_data}.
 */
class PromqlExpressionsTest {

    @TempDir
    static Path dir;

    private static PrometheusServer prometheus;

    @BeforeAll
    static void startPrometheus() {
        prometheus = PrometheusServer.start(dir, "global:\n  scrape_interval: 15s\n");
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    static Stream<Arguments> promqlQueries() {
        return Dashboard.loadAll().stream().flatMap(dashboard -> DashboardQueries.of(dashboard).stream()
                .filter(q -> q.language() == QueryLanguage.PROMQL)
                .map(q -> Arguments.of(q, dashboard)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("promqlQueries")
    void prometheusAcceptsTheExpression(DashboardQuery query, Dashboard dashboard) throws Exception {
        for (Map<String, String> values :
                List.of(DashboardQueries.exampleValues(), DashboardQueries.allSelected(dashboard))) {
            String expression = query.substituted(values);
            QueryResult result = prometheus.api().evaluate(expression);
            assertThat(result.status())
                    .as("%s: Prometheus answered %s %s for %s", query, result.errorType(), result.error(), expression)
                    .isEqualTo("success");
        }
    }

    /** Proves the check above can fail: a real parse error is reported as bad_data. */
    @Test
    void prometheusRejectsAMalformedExpression() throws Exception {
        QueryResult result = prometheus.api().evaluate("sum(rate(http_server_requests_seconds_count[1m])");
        assertThat(result.status()).isEqualTo("error");
        assertThat(result.errorType()).isEqualTo("bad_data");
        assertThat(result.httpStatus()).isEqualTo(400);
    }
}
