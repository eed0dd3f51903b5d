package io.sightline.local.check;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.sightline.local.logstore.LogStore;

/**
 * Zero loss and the contract's fields: once the services have stopped writing, every record in their log files
 * must arrive in the log store exactly once (counted per pod), and every stored record must carry the contract's
 * fields and metadata. The sidecars get a bounded time to drain; the counts are polled, not waited for blindly.
 */
public final class LogDeliveryCheck {

    /** The log directory of one service instance and the pod name its records carry. */
    public record Source(String pod, Path logDir) {}

    /**
     * What every stored record must carry: the log record's fields that are always there (contract section 2) and
     * the metadata the sidecar always adds (section 1; {@code cluster} only when configured). Pinned by
     * {@code ContractTest}.
     */
    public static final List<String> CONTRACT_FIELDS = List.of(
            "@timestamp",
            "level",
            "logger",
            "thread",
            "message",
            "service_name",
            "namespace",
            "pod",
            "container",
            "node");

    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final LogStore store;
    private final String namespace;
    private final List<Source> sources;

    public LogDeliveryCheck(LogStore store, String namespace, List<Source> sources) {
        this.store = store;
        this.namespace = namespace;
        this.sources = List.copyOf(sources);
    }

    public void run(CheckReport report, List<String> requiredFields, Duration drainTimeout) {
        if (checkCounts(report, drainTimeout)) {
            checkFields(report, requiredFields);
        } else {
            report.failed("log fields", "not checked: the records did not all arrive");
        }
    }

    private boolean checkCounts(CheckReport report, Duration drainTimeout) {
        Instant deadline = Instant.now().plus(drainTimeout);
        Map<String, long[]> counts = new LinkedHashMap<>();
        try {
            while (true) {
                counts.clear();
                for (Source source : sources) {
                    counts.put(
                            source.pod(),
                            new long[] {LogFiles.countRecords(source.logDir()), store.count(namespace, source.pod())});
                }
                long written = counts.values().stream().mapToLong(c -> c[0]).sum();
                boolean duplicates = counts.values().stream().anyMatch(c -> c[1] > c[0]);
                boolean complete = counts.values().stream().allMatch(c -> c[1] == c[0]);
                if (written == 0) {
                    report.failed(
                            "log delivery",
                            "the services wrote no records to " + sources.get(0).logDir()
                                    + " (is JSON file logging on? see the service output in processes/)");
                    return false;
                }
                if (duplicates) {
                    report.failed("log delivery", "more records stored than written (duplicates): " + describe(counts));
                    return false;
                }
                if (complete) {
                    report.passed(
                            "log delivery", written + " records written and stored, none lost: " + describe(counts));
                    return true;
                }
                if (Instant.now().isAfter(deadline)) {
                    report.failed(
                            "log delivery",
                            "records missing after waiting " + drainTimeout.toSeconds()
                                    + " s for the sidecars to drain: " + describe(counts));
                    return false;
                }
                LockSupport.parkNanos(POLL_INTERVAL.toNanos());
            }
        } catch (IOException e) {
            report.failed("log delivery", "could not count records: " + e.getMessage());
            return false;
        }
    }

    private void checkFields(CheckReport report, List<String> requiredFields) {
        try {
            Map<String, Long> missing = store.recordsMissing(namespace, requiredFields);
            Map<String, Long> lacking = missing.entrySet().stream()
                    .filter(e -> e.getValue() > 0)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
            if (lacking.isEmpty()) {
                report.passed("log fields", "every stored record has " + String.join(", ", requiredFields));
            } else {
                report.failed("log fields", "records lacking a contract field (field=records): " + lacking);
            }
        } catch (IOException e) {
            report.failed("log fields", "could not query the log store: " + e.getMessage());
        }
    }

    private static String describe(Map<String, long[]> counts) {
        return counts.entrySet().stream()
                .map(e -> e.getKey() + " wrote " + e.getValue()[0] + ", stored " + e.getValue()[1])
                .collect(Collectors.joining("; "));
    }
}
