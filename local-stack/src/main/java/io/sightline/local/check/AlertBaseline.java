package io.sightline.local.check;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.sightline.testsupport.prometheus.PrometheusApi;

/**
 * The alerts already firing when the failure burst begins (Prometheus' {@code ALERTS} series), so the check does
 * not credit the burst with an alert that fired before it. An alert still pending then may be credited: the burst
 * is what kept it active until it fired.
 */
public final class AlertBaseline {

    private volatile Set<Map<String, String>> firing;
    private volatile String problem = "the alerts active before the burst were not captured (did Prometheus start?)";

    public AlertBaseline() {}

    /** A baseline captured elsewhere (tests). */
    AlertBaseline(Set<Map<String, String>> firing) {
        this.firing = Set.copyOf(firing);
        this.problem = null;
    }

    /** Reads the firing {@code ALERTS} now; a failure is kept and reported by the check rather than thrown. */
    public void capture(PrometheusApi prometheus) {
        try {
            firing = labelSets(prometheus.query("ALERTS{alertstate=\"firing\"}"));
            problem = null;
        } catch (IOException e) {
            problem = "could not read the alerts active before the burst: " + e.getMessage();
        }
    }

    /** Label sets as Alertmanager sends them (without {@code __name__} and {@code alertstate}). */
    static Set<Map<String, String>> labelSets(List<PrometheusApi.Sample> alerts) {
        return alerts.stream()
                .map(sample -> {
                    Map<String, String> labels = new HashMap<>(sample.labels());
                    labels.remove("__name__");
                    labels.remove("alertstate");
                    return Map.copyOf(labels);
                })
                .collect(Collectors.toUnmodifiableSet());
    }

    /** @return the label sets firing at the burst's start; null when not captured ({@link #problem()} says why) */
    public Set<Map<String, String>> firing() {
        return firing;
    }

    public String problem() {
        return problem;
    }
}
