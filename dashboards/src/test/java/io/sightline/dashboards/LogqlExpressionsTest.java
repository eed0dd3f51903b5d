package io.sightline.dashboards;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every LogQL expression of every dashboard is valid LogQL, both with one value per variable and with every
 * multi-value variable set to "All". There is no Loki binary on the build machines, so {@link LogqlSyntax}
 * (a checker for the subset of LogQL the dashboards use, written from Loki's documentation) stands in for
 * Loki's parser.
 */
class LogqlExpressionsTest {

    static Stream<Arguments> logqlQueries() {
        return Dashboard.loadAll().stream().flatMap(dashboard -> DashboardQueries.of(dashboard).stream()
                .filter(q -> q.language() == QueryLanguage.LOGQL)
                .map(q -> Arguments.of(q, dashboard)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logqlQueries")
    void isValidLogql(DashboardQuery query, Dashboard dashboard) {
        String oneValue = query.substituted(DashboardQueries.exampleValues());
        String allSelected = query.substituted(DashboardQueries.allSelected(dashboard));
        assertThatCode(() -> LogqlSyntax.check(oneValue)).as(oneValue).doesNotThrowAnyException();
        assertThatCode(() -> LogqlSyntax.check(allSelected)).as(allSelected).doesNotThrowAnyException();
    }

    @Test
    void queriesAreFoundInEveryDashboard() {
        List<String> withLogql = DashboardQueries.of(Dashboard.loadAll()).stream()
                .filter(q -> q.language() == QueryLanguage.LOGQL)
                .map(DashboardQuery::dashboardUid)
                .distinct()
                .toList();
        assertThat(withLogql)
                .contains(
                        "sightline-logs",
                        "sightline-errors",
                        "sightline-k8s-events",
                        "sightline-service",
                        "sightline-jvm",
                        "sightline-pipeline");
    }
}
