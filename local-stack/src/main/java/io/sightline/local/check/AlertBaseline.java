package io.sightline.local.check;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.sightline.local.monitoring.PrometheusApi;

/**
 * The alerts already pending or firing when the failure burst begins (Prometheus' {@code ALERTS} series), so the
 * check credits the burst only with alerts that were not active before it (the always-firing Watchdog, say).
 */
public final class AlertBaseline {

    private volatile Set<Map<String, String>> active;
    private volatile String problem = "the alerts active before the burst were not captured (did Prometheus start?)";

    public AlertBaseline() {
    }

    /** A baseline captured elsewhere (tests). */
    AlertBaseline(Set<Map<String, String>> active) {
        this.active = Set.copyOf(active);
        this.problem = null;
    }

    /** Reads {@code ALERTS} now; a failure is kept and reported by the check rather than thrown. */
    public void capture(PrometheusApi prometheus) {
        try {
            active = labelSets(prometheus.query("ALERTS"));
            problem = null;
        } catch (IOException e) {
            problem = "could not read the alerts active before the burst: " + e.getMessage();
        }
    }

    /** Label sets as Alertmanager sends them (without {@code __name__} and {@code alertstate}). */
    static Set<Map<String, String>> labelSets(List<PrometheusApi.Sample> alerts) {
        return alerts.stream().map(sample -> {
            Map<String, String> labels = new HashMap<>(sample.labels());
            labels.remove("__name__");
            labels.remove("alertstate");
            return Map.copyOf(labels);
        }).collect(Collectors.toUnmodifiableSet());
    }

    /** @return null when the baseline could not be captured; {@link #problem()} says why */
    public Set<Map<String, String>> active() {
        return active;
    }

    public String problem() {
        return problem;
    }
}
