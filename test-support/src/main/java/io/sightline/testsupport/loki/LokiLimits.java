package io.sightline.testsupport.loki;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The per-tenant limits the fake enforces, Loki's defaults unless a test changes them: label names matching
 * {@code [a-zA-Z_][a-zA-Z0-9_]*}, at most {@code max_label_names_per_series} of them, lines of at most
 * {@code max_line_size}, and (Loki 3, {@code unordered_writes}) no entry older than a stream's newest accepted one
 * minus the out-of-order window.
 */
public record LokiLimits(int maxLabelNames, int maxLineBytes, Duration outOfOrderWindow) {

    /** Loki's defaults: 15 label names, 256 KiB lines, a 1 h window (half of the 2 h max chunk age). */
    public static final LokiLimits DEFAULTS = new LokiLimits(15, 256 * 1024, Duration.ofHours(1));

    static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
}
