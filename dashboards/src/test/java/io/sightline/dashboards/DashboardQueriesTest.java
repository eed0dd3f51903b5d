package io.sightline.dashboards;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The extraction and substitution the query checks (and the local stack's data checks) rely on. */
class DashboardQueriesTest {

    @Test
    void substitutesEveryVariableSyntax() {
        String expression = "rate(x{a=~\"$namespace\", b=\"${application}\", c=~\"${pod:regex}\", d=\"[[level]]\"}"
                + "[$__rate_interval])";
        assertThat(DashboardQueries.substitute(
                        expression,
                        Map.of(
                                "namespace",
                                "default",
                                "application",
                                "demo",
                                "pod",
                                "p-1",
                                "level",
                                "ERROR",
                                "__rate_interval",
                                "1m")))
                .isEqualTo("rate(x{a=~\"default\", b=\"demo\", c=~\"p-1\", d=\"ERROR\"}[1m])");
    }

    @Test
    void aMissingValueNamesTheVariable() {
        assertThatThrownBy(() -> DashboardQueries.substitute("up{pod=\"$pod\"}", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$pod");
    }

    @Test
    void regexDollarsAreNotVariables() {
        assertThat(DashboardQueries.substitute("{a=~\"^x$\"} |~ \"end$\"", Map.of()))
                .isEqualTo("{a=~\"^x$\"} |~ \"end$\"");
    }

    @Test
    void variableQueriesYieldTheirPromqlSelector() {
        assertThat(DashboardQueries.variableExpression(
                        "label_values(sightline_build_info{namespace=~\"$namespace\"}, pod)"))
                .isEqualTo("sightline_build_info{namespace=~\"$namespace\"}");
        assertThat(DashboardQueries.variableExpression("query_result(topk(5, up))"))
                .isEqualTo("topk(5, up)");
        assertThatThrownBy(() -> DashboardQueries.variableExpression("label_values(pod)"))
                .hasMessageContaining("label_values(<selector>, <label>)");
    }

    @Test
    void findsPanelAnnotationAndVariableQueriesOfEveryDashboard() {
        List<DashboardQuery> queries = DashboardQueries.of(Dashboard.loadAll());
        assertThat(queries).extracting(DashboardQuery::dashboardUid).containsAll(DashboardLintTest.UIDS);
        assertThat(queries)
                .extracting(DashboardQuery::location)
                .anyMatch(l -> l.startsWith("panel "))
                .anyMatch(l -> l.startsWith("annotation "))
                .anyMatch(l -> l.startsWith("variable "));
        assertThat(queries)
                .allSatisfy(q -> assertThat(q.expression()).as(q.toString()).isNotBlank());
    }

    @Test
    void allSelectedUsesTheVariablesAllValue() {
        Dashboard service = Dashboard.loadAll().stream()
                .filter(d -> d.uid().equals("sightline-service"))
                .findFirst()
                .orElseThrow();
        assertThat(DashboardQueries.allSelected(service))
                .containsEntry("namespace", ".+")
                .containsEntry("pod", ".+")
                .containsEntry("__rate_interval", "1m");
    }
}
