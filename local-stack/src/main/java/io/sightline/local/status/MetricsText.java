package io.sightline.local.status;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads sums out of the Prometheus text exposition format, enough for the status line (the sidecars' counters
 * and lag gauges) without needing Prometheus itself, which is optional.
 */
public final class MetricsText {

    // name, optional {labels} (quoted values may contain '}' or spaces), value; a trailing timestamp is ignored
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[^\"}]|\"(?:[^\"\\\\]|\\\\.)*\")*})?\\s+(\\S+)");

    private MetricsText() {}

    /** Sum of every sample of {@code metric} (all label sets); 0 when there is none. */
    public static double sum(String exposition, String metric) {
        double total = 0;
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (sample.find() && sample.group(1).equals(metric)) {
                double value = parseValue(sample.group(3));
                if (!Double.isNaN(value)) {
                    total += value;
                }
            }
        }
        return total;
    }

    private static double parseValue(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    yield Double.NaN;
                }
            }
        };
    }
}
