package io.sightline.k8s.support;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes in the notations the manifests use. */
public final class Quantities {

    private static final Pattern SIZE = Pattern.compile("(\\d+)([A-Za-z]*)");
    private static final Map<String, Long> KUBERNETES = Map.of(
            "",
            1L,
            "Ki",
            1L << 10,
            "Mi",
            1L << 20,
            "Gi",
            1L << 30,
            "Ti",
            1L << 40,
            "k",
            1000L,
            "M",
            1000_000L,
            "G",
            1000_000_000L);
    // Prometheus' --storage.tsdb.retention.size units are powers of two
    private static final Map<String, Long> PROMETHEUS =
            Map.of("B", 1L, "KB", 1L << 10, "MB", 1L << 20, "GB", 1L << 30, "TB", 1L << 40);
    // Loki's flagext.ByteSize: KB is 1000, KiB 1024
    private static final Map<String, Long> LOKI =
            Map.of("", 1L, "B", 1L, "KB", 1000L, "KiB", 1L << 10, "MB", 1000_000L, "MiB", 1L << 20);

    private Quantities() {}

    public static long kubernetesBytes(String quantity) {
        return parse(quantity, KUBERNETES);
    }

    public static long prometheusBytes(String size) {
        return parse(size, PROMETHEUS);
    }

    public static long lokiBytes(String size) {
        return parse(size, LOKI);
    }

    private static long parse(String text, Map<String, Long> units) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches() || !units.containsKey(m.group(2))) {
            throw new IllegalArgumentException("not a size with a unit from " + units.keySet() + ": " + text);
        }
        return Long.parseLong(m.group(1)) * units.get(m.group(2));
    }
}
