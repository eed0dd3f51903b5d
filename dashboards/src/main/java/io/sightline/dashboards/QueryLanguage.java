package io.sightline.dashboards;

/** The query languages the dashboards use, told apart by the datasource a query runs on. */
public enum QueryLanguage {
    PROMQL("prometheus", "${datasource}"),
    LOGQL("loki", "${loki_datasource}");

    private final String datasourceType;
    private final String datasourceVariable;

    QueryLanguage(String datasourceType, String datasourceVariable) {
        this.datasourceType = datasourceType;
        this.datasourceVariable = datasourceVariable;
    }

    public String datasourceType() {
        return datasourceType;
    }

    /** The templated datasource uid every query of this language must use. */
    public String datasourceVariable() {
        return datasourceVariable;
    }

    public static QueryLanguage ofDatasourceType(String type) {
        for (QueryLanguage language : values()) {
            if (language.datasourceType.equals(type)) {
                return language;
            }
        }
        throw new IllegalArgumentException(
                "datasource type '" + type + "' is not used by Sightline dashboards; use prometheus or loki");
    }
}
