package io.sightline.benchmarks.sidecar;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several jars measured in the same rounds. This host's speed drifts 20–30 % within minutes, so two jars compare only
 * by the ratio of runs that ran next to each other: each round runs every jar once, in an order that rotates every
 * round (so no jar always runs first, right after the previous round's last), and each jar is set against the first
 * one named by its per-round ratios.
 */
final class JarComparison {

    private static final Pattern NAMED = Pattern.compile("([A-Za-z0-9._-]+)=(.+)");

    /** {@code name}: how the jar is named in the output, or null for the single jar of a plain {@code --jar PATH}. */
    record Jar(String name, Path path) {}

    private JarComparison() {}

    /**
     * {@code --jar}: a plain path (one jar, as before), or two or more comma-separated {@code NAME=PATH} entries.
     */
    static List<Jar> parse(String option) {
        if (!option.contains(",")) {
            if (NAMED.matcher(option).matches()) {
                throw new IllegalArgumentException("--jar " + option
                        + " names a single jar: name two or more to compare them (--jar a=A.jar,b=B.jar),"
                        + " or give a plain path for one");
            }
            return List.of(new Jar(null, Path.of(option)));
        }
        List<Jar> jars = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : option.split(",")) {
            Matcher m = NAMED.matcher(entry);
            if (!m.matches()) {
                throw new IllegalArgumentException("--jar entry '" + entry
                        + "' is not NAME=PATH: to compare jars, name each one (--jar a=A.jar,b=B.jar)");
            }
            if (!names.add(m.group(1))) {
                throw new IllegalArgumentException("--jar names " + m.group(1) + " twice: give each jar its own name");
            }
            jars.add(new Jar(m.group(1), Path.of(m.group(2))));
        }
        return jars;
    }

    /** The indices of the jars in the order round {@code round} (counted from 0) runs them: it starts with jar round mod n. */
    static List<Integer> order(int round, int jars) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < jars; i++) {
            order.add((round + i) % jars);
        }
        return order;
    }

    /**
     * A jar's figure divided by the reference jar's in each round, their median, and in how many rounds it was lower
     * (and equal: CPU time comes in clock ticks of 10 ms, so short runs tie).
     */
    record Ratios(List<Double> perRound, double median, int lower, int equal) {}

    /** {@code candidate} and {@code reference}: one figure per round, in round order. */
    static Ratios ratios(List<Double> candidate, List<Double> reference) {
        if (candidate.size() != reference.size() || candidate.isEmpty()) {
            throw new IllegalArgumentException("per-round ratios need one figure per round of each jar, got "
                    + candidate.size() + " and " + reference.size());
        }
        List<Double> perRound = new ArrayList<>();
        for (int i = 0; i < candidate.size(); i++) {
            perRound.add(candidate.get(i) / reference.get(i));
        }
        int lower = (int) perRound.stream().filter(r -> r < 1).count();
        int equal = (int) perRound.stream().filter(r -> r == 1).count();
        return new Ratios(perRound, median(perRound), lower, equal);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
