package io.sightline.testsupport.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads names out of {@code docs/telemetry-contract.md} for the tests that pin a module to it: a {@code ## }
 * section or {@code ### } subsection, the rows of its table, a bullet with its continuation lines, the
 * {@code `code`} spans of a text, and a metric table's names and label names. Every module's contract test reads
 * the page through this class; it knows the page's Markdown shapes, not its names.
 */
public final class TelemetryContractDoc {

    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern NAME = Pattern.compile("[a-z_:][a-z0-9_:]*");

    private final Path file;
    private final String text;

    private TelemetryContractDoc(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    /** The contract of this repository, read from a module directory (the working directory of its tests). */
    public static TelemetryContractDoc read() {
        return read(Path.of("..", "docs", "telemetry-contract.md"));
    }

    public static TelemetryContractDoc read(Path file) {
        try {
            return new TelemetryContractDoc(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the telemetry contract " + file.toAbsolutePath(), e);
        }
    }

    /** The section whose {@code ## } heading starts with {@code heading} (e.g. "## 2."), up to the next one. */
    public String section(String heading) {
        int start = text.startsWith(heading) ? 0 : text.indexOf("\n" + heading);
        if (start < 0) {
            throw new AssertionError(file + " has no section '" + heading + "'");
        }
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /**
     * The subsection whose {@code ### } heading starts with {@code heading} (e.g. "### log-sidecar"), up to the next
     * {@code ### } or {@code ## } heading.
     */
    public String subsection(String heading) {
        int start = text.indexOf("\n" + heading);
        if (start < 0) {
            throw new AssertionError(file + " has no subsection '" + heading + "'");
        }
        int nextSubsection = text.indexOf("\n### ", start + 1);
        int nextSection = text.indexOf("\n## ", start + 1);
        int end = nextSubsection < 0
                ? nextSection
                : nextSection < 0 ? nextSubsection : Math.min(nextSubsection, nextSection);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /**
     * The metrics of the {@code | metric | labels | ... |} tables in {@code text}, each with its label names: a row's
     * first cell names one metric (a note such as "(histogram)" may follow it), and every comma-separated part of
     * its second cell starts with a label name ({@code `reason` = `a` \| `b`} names the label {@code reason}).
     */
    public static Map<String, Set<String>> metricLabels(String text) {
        Map<String, Set<String>> metrics = new TreeMap<>();
        for (List<String> row : tableRows(text)) {
            List<String> names = codeSpans(row.get(0));
            if (row.size() < 2
                    || names.size() != 1
                    || !NAME.matcher(names.get(0)).matches()) {
                continue;
            }
            Set<String> labels = new TreeSet<>();
            for (String part : row.get(1).split(",")) {
                List<String> spans = codeSpans(part);
                if (!spans.isEmpty() && NAME.matcher(spans.get(0)).matches()) {
                    labels.add(spans.get(0));
                }
            }
            metrics.put(names.get(0), labels);
        }
        return metrics;
    }

    /**
     * The body rows of the tables in {@code text}, each as its trimmed cells; header rows (the row above a
     * {@code |---|} separator) and separators are left out. An escaped pipe ({@code \|}) stays inside its cell.
     */
    public static List<List<String>> tableRows(String text) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : text.lines().filter(l -> l.startsWith("|")).toList()) {
            if (line.matches("\\|[-:| ]+\\|")) {
                if (!rows.isEmpty()) {
                    rows.remove(rows.size() - 1);
                }
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.lastIndexOf('|')).split("(?<!\\\\)\\|", -1)) {
                cells.add(cell.trim());
            }
            rows.add(cells);
        }
        return rows;
    }

    /** The bullet ({@code - ...}) of {@code section} that starts with {@code prefix}, continuation lines joined. */
    public String bullet(String section, String prefix) {
        List<String> lines =
                section.lines().dropWhile(l -> !l.startsWith(prefix)).toList();
        if (lines.isEmpty()) {
            throw new AssertionError(file + " has no bullet starting with '" + prefix + "'");
        }
        StringBuilder bullet = new StringBuilder(lines.get(0));
        lines.stream().skip(1).takeWhile(l -> l.startsWith(" ")).forEach(l -> bullet.append(' ')
                .append(l.trim()));
        return bullet.toString();
    }

    /** The contents of the {@code `code`} spans of {@code text}, in order. */
    public static List<String> codeSpans(String text) {
        List<String> spans = new ArrayList<>();
        Matcher span = CODE_SPAN.matcher(text);
        while (span.find()) {
            spans.add(span.group(1));
        }
        return spans;
    }
}
