package io.sightline.k8s.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.contract.TelemetryContractDoc;

/**
 * What docs/telemetry-contract.md section 4 defines: metric names (histograms with their series suffixes),
 * their labels, the target labels relabeling sets, the starter's common tag, and the families it leaves to
 * Micrometer's standard names ({@code jvm_*}).
 */
final class TelemetryContract {

    private static final Pattern NAME = Pattern.compile("[a-z_:][a-z0-9_:]*");

    final Set<String> metrics = new TreeSet<>();
    final Set<String> labels = new TreeSet<>();
    /** Prefixes of the families named with a wildcard, such as {@code jvm_}. */
    final List<String> standardFamilies = new ArrayList<>();

    static TelemetryContract read() {
        String section = TelemetryContractDoc.read(ModuleFiles.CONTRACT).section("## 4. Metrics");
        TelemetryContract contract = new TelemetryContract();
        for (Map.Entry<String, Set<String>> metric :
                TelemetryContractDoc.metricLabels(section).entrySet()) {
            contract.metrics.add(metric.getKey());
            contract.labels.addAll(metric.getValue());
        }
        for (List<String> row : TelemetryContractDoc.tableRows(section)) {
            if (row.get(0).contains("(histogram)")) {
                String histogram = TelemetryContractDoc.codeSpans(row.get(0)).get(0);
                List.of("_bucket", "_sum", "_count").forEach(suffix -> contract.metrics.add(histogram + suffix));
            }
        }
        contract.parseProse(section);
        return contract;
    }

    /** Target labels and the common tag are named in the prose; wildcard families anywhere in the section. */
    private void parseProse(String section) {
        for (String line : section.split("\n")) {
            List<String> spans = TelemetryContractDoc.codeSpans(line);
            if (line.contains("Relabeling keeps")
                    || line.contains("`prometheus.io/path`")
                    || line.contains("and sets `job`")
                    || line.contains("common tag")) {
                spans.stream().filter(s -> NAME.matcher(s).matches()).forEach(labels::add);
            }
            spans.stream()
                    .filter(span -> span.endsWith("_*"))
                    .forEach(span -> standardFamilies.add(span.substring(0, span.length() - 1)));
        }
    }
}
