package io.sightline.k8s.rules;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.prometheus.PromDuration;
import io.sightline.testsupport.yaml.Yaml;

/**
 * Copies of a rule file with one change each, the kind of slip a reviewer misses: a window ({@code [5m]},
 * {@code offset 20m}, or the window of a recorded series such as {@code :rate1h}) made twice as long or half as
 * long, resp. the next longer or shorter recorded window; a threshold (the constant after a comparison) made 1.5
 * times higher or lower, or 1 higher or lower where it is 0; an alert's {@code for} one minute longer or shorter
 * (one evaluation of the unit tests).
 */
final class RuleMutants {

    /**
     * One changed copy of a rule file.
     *
     * @param rule the rule as the report shows it
     * @param name the alert's or recorded series' name, as the unit tests refer to it
     */
    record Mutant(Path file, String group, String rule, String name, String change, String text) {

        @Override
        public String toString() {
            return file.getFileName() + " " + group + " " + rule + ": " + change;
        }
    }

    static final double THRESHOLD_FACTOR = 1.5;
    static final Duration FOR_STEP = Duration.ofMinutes(1);

    private static final Pattern RANGE = Pattern.compile("\\[(\\d+[smhdwy](?:\\d+[smhdwy])*)\\]");
    private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+(\\d+[smhdwy](?:\\d+[smhdwy])*)");
    private static final Pattern RECORDED_WINDOW = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*:rate)(\\d+[smhd])\\b");
    private static final Pattern COMPARISON = Pattern.compile("(==|!=|>=|<=|>|<)(\\s*bool)?\\s*");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private RuleMutants() {}

    /** Every mutant of the file, in the order of its rules. */
    static List<Mutant> of(Path file) {
        String original = ModuleFiles.read(file);
        Map<String, Object> root = Yaml.load(original);
        Set<String> recorded = new TreeSet<>();
        for (Map<String, Object> group : Yaml.maps(root, "groups")) {
            for (Map<String, Object> rule : Yaml.maps(group, "rules")) {
                if (rule.containsKey("record")) {
                    recorded.add(Yaml.text(rule, "record"));
                }
            }
        }
        List<Mutant> mutants = new ArrayList<>();
        List<Map<String, Object>> groups = Yaml.maps(root, "groups");
        for (int g = 0; g < groups.size(); g++) {
            List<Map<String, Object>> rules = Yaml.maps(groups.get(g), "rules");
            for (int r = 0; r < rules.size(); r++) {
                Map<String, Object> rule = rules.get(r);
                String name = rule.containsKey("alert") ? Yaml.text(rule, "alert") : Yaml.text(rule, "record");
                String shown = rule.containsKey("alert")
                        ? name + "{severity=" + Yaml.text(rule, "labels", "severity") + "}"
                        : name;
                String group = Yaml.text(groups.get(g), "name");
                String expr = Yaml.text(rule, "expr");
                for (Map.Entry<String, String> change :
                        exprChanges(expr, recorded).entrySet()) {
                    mutants.add(new Mutant(
                            file, group, shown, name, change.getKey(), with(root, g, r, "expr", change.getValue())));
                }
                String forValue = Yaml.text(rule, "for");
                if (forValue != null) {
                    Duration duration = PromDuration.parse(forValue);
                    mutants.add(new Mutant(
                            file,
                            group,
                            shown,
                            name,
                            "for " + forValue + " → " + PromDuration.format(duration.plus(FOR_STEP)),
                            with(root, g, r, "for", PromDuration.format(duration.plus(FOR_STEP)))));
                    if (!duration.isZero()) {
                        Duration shorter = duration.compareTo(FOR_STEP) > 0 ? duration.minus(FOR_STEP) : Duration.ZERO;
                        mutants.add(new Mutant(
                                file,
                                group,
                                shown,
                                name,
                                "for " + forValue + " → " + PromDuration.format(shorter),
                                with(root, g, r, "for", PromDuration.format(shorter))));
                    }
                }
            }
        }
        return mutants;
    }

    /** "what changed" → the changed expression, for every window and threshold of {@code expr}. */
    static Map<String, String> exprChanges(String expr, Set<String> recorded) {
        Map<String, String> changes = new LinkedHashMap<>();
        for (Pattern windows : List.of(RANGE, OFFSET)) {
            Matcher m = windows.matcher(expr);
            while (m.find()) {
                Duration window = PromDuration.parse(m.group(1));
                for (Duration other : List.of(window.multipliedBy(2), window.dividedBy(2))) {
                    changes.put(
                            "window " + m.group() + " → " + PromDuration.format(other) + " (at " + m.start() + ")",
                            expr.substring(0, m.start(1)) + PromDuration.format(other) + expr.substring(m.end(1)));
                }
            }
        }
        Matcher m = RECORDED_WINDOW.matcher(expr);
        while (m.find()) {
            for (String neighbour : neighbourWindows(m.group(1), m.group(2), recorded)) {
                changes.put(
                        "window " + m.group() + " → " + m.group(1) + neighbour + " (at " + m.start() + ")",
                        expr.substring(0, m.start(2)) + neighbour + expr.substring(m.end(2)));
            }
        }
        m = COMPARISON.matcher(expr);
        while (m.find()) {
            if (insideBraces(expr, m.start())) {
                continue; // a label matcher, not a comparison
            }
            int end = constantEnd(expr, m.end());
            if (end < 0) {
                continue; // compares two series: no threshold
            }
            String constant = expr.substring(m.end(), end);
            double value = Arithmetic.evaluate(constant);
            List<String> replacements = value == 0
                    ? List.of("1", "-1")
                    : List.of(
                            "(" + constant + " * " + THRESHOLD_FACTOR + ")",
                            "(" + constant + " / " + THRESHOLD_FACTOR + ")");
            for (String replacement : replacements) {
                changes.put(
                        "threshold " + m.group(1) + " " + constant + " → " + replacement + " (at " + m.start() + ")",
                        expr.substring(0, m.end()) + replacement + expr.substring(end));
            }
        }
        return changes;
    }

    /** The next shorter and next longer window among the recorded {@code prefix<window>} series. */
    private static List<String> neighbourWindows(String prefix, String window, Set<String> recorded) {
        List<String> windows = recorded.stream()
                .filter(name -> name.startsWith(prefix)
                        && name.substring(prefix.length()).matches("\\d+[smhd]"))
                .map(name -> name.substring(prefix.length()))
                .sorted(Comparator.comparing(PromDuration::parse))
                .toList();
        int at = windows.indexOf(window);
        if (at < 0) {
            return List.of();
        }
        List<String> neighbours = new ArrayList<>();
        if (at > 0) {
            neighbours.add(windows.get(at - 1));
        }
        if (at < windows.size() - 1) {
            neighbours.add(windows.get(at + 1));
        }
        return neighbours;
    }

    /** End of the constant (a number, or a parenthesised expression of numbers) starting at {@code from}, or -1. */
    private static int constantEnd(String expr, int from) {
        if (from >= expr.length()) {
            return -1;
        }
        if (expr.charAt(from) == '(') {
            int depth = 0;
            for (int i = from; i < expr.length(); i++) {
                char c = expr.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    String inside = expr.substring(from, i + 1);
                    return inside.matches("[\\d.eE+\\-*/()\\s]+") ? i + 1 : -1;
                }
            }
            return -1;
        }
        Matcher number = NUMBER.matcher(expr).region(from, expr.length());
        if (!number.lookingAt()) {
            return -1;
        }
        int end = number.end();
        // a number followed by an operator belongs to a longer expression (`> 2 * x`): not a plain threshold
        String rest = expr.substring(end).stripLeading();
        return rest.isEmpty() || rest.startsWith(")") || rest.matches("(?s)(and|or|unless)\\b.*") ? end : -1;
    }

    private static boolean insideBraces(String expr, int at) {
        int open = expr.lastIndexOf('{', at);
        return open >= 0 && expr.lastIndexOf('}', at) < open;
    }

    private static String with(Map<String, Object> root, int group, int rule, String key, String value) {
        Map<String, Object> copy = Yaml.load(Yaml.dump(root));
        Yaml.maps(Yaml.maps(copy, "groups").get(group), "rules").get(rule).put(key, value);
        return Yaml.dump(copy);
    }
}
