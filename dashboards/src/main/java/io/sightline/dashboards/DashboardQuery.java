package io.sightline.dashboards;

import java.util.Map;

/**
 * One query of a dashboard: a panel target, an annotation or the selector of a template variable.
 *
 * @param dashboardUid the dashboard's uid
 * @param location where in the dashboard, for error messages ("panel 'Request rate' query A")
 * @param language PromQL or LogQL
 * @param expression the expression as written, with Grafana variables
 */
public record DashboardQuery(String dashboardUid, String location, QueryLanguage language, String expression) {

    /** The expression with every variable replaced, see {@link DashboardQueries#substitute}. */
    public String substituted(Map<String, String> values) {
        return DashboardQueries.substitute(expression, values);
    }

    @Override
    public String toString() {
        return dashboardUid + " " + location;
    }
}
