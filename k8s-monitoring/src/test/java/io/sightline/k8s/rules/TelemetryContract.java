package io.sightline.k8s.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.k8s.support.ModuleFiles;

/**
 * What docs/telemetry-contract.md section 4 defines: metric names (histograms with their series suffixes),
 * their labels, the target labels relabeling sets, the starter's common tag, and the families it leaves to
 * Micrometer's standard names ({@code jvm_*}).
 */
final class TelemetryContract {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern NAME = Pattern.compile("[a-z_:][a-z0-9_:]*");

    final Set<String> metrics = new TreeSet<>();
    final Set<String> labels = new TreeSet<>();
    /** Prefixes of the families named with a wildcard, such as {@code jvm_}. */
    final List<String> standardFamilies = new ArrayList<>();

    static TelemetryContract read() {
        String text = ModuleFiles.read(ModuleFiles.CONTRACT);
        int start = text.indexOf("\n## 4. Metrics");
        int end = text.indexOf("\n## 5.", start);
        if (start < 0 || end < 0) {
            throw new IllegalStateException(ModuleFiles.CONTRACT + " has no section '## 4. Metrics' followed by"
                    + " '## 5.': the rule check reads the metric names from there");
        }
        TelemetryContract contract = new TelemetryContract();
        contract.parse(text.substring(start, end));
        return contract;
    }

    private void parse(String section) {
        for (String line : section.split("\n")) {
            if (line.startsWith("|")) {
                parseTableRow(line);
            } else if (line.contains("Relabeling keeps")
                    || line.contains("`prometheus.io/path`")
                    || line.contains("and sets `job`")
                    || line.contains("common tag")) {
                codeSpans(line).stream().filter(s -> NAME.matcher(s).matches()).forEach(labels::add);
            }
            for (String span : codeSpans(line)) {
                if (span.endsWith("_*")) {
                    standardFamilies.add(span.substring(0, span.length() - 1));
                }
            }
        }
    }

    private void parseTableRow(String row) {
        String[] cells = row.split("(?<!\\\\)\\|");
        if (cells.length < 3) {
            return;
        }
        List<String> names = codeSpans(cells[1]);
        if (names.size() != 1 || !NAME.matcher(names.get(0)).matches()) {
            return; // header, separator or prose rows
        }
        String metric = names.get(0);
        metrics.add(metric);
        if (cells[1].contains("(histogram)")) {
            List.of("_bucket", "_sum", "_count").forEach(suffix -> metrics.add(metric + suffix));
        }
        // "`sink`, `reason` = `rejected` \| ..." : each comma-separated part starts with the label name
        for (String part : cells[2].split(",")) {
            List<String> spans = codeSpans(part);
            if (!spans.isEmpty() && NAME.matcher(spans.get(0)).matches()) {
                labels.add(spans.get(0));
            }
        }
    }

    private static List<String> codeSpans(String text) {
        List<String> spans = new ArrayList<>();
        Matcher m = CODE.matcher(text);
        while (m.find()) {
            spans.add(m.group(1));
        }
        return spans;
    }
}
