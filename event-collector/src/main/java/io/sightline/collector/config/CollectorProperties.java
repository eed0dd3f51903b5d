package io.sightline.collector.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything the collector can be told, under {@code sightline.collector}. Every value has a working default
 * (see docs/event-collector.md); invalid values fail start-up with a message naming the property to fix.
 *
 * @param enabled            off switch for the whole collector (the application then only serves its probes)
 * @param namespaces         namespaces to watch; empty means all namespaces
 * @param excludedNamespaces namespaces never collected, also when {@code namespaces} is empty
 * @param minimumType        {@code Normal} collects everything, {@code Warning} only warnings
 * @param dropReasons        regular expression; events whose reason matches it in full are not collected
 * @param api                which Events API to read: {@code auto} (discovery), {@code events.k8s.io/v1} or {@code v1}
 * @param eventTtl           how long the API server keeps events (its {@code --event-ttl}); bounds checkpoint and gaps
 * @param selfNamespace      namespace holding the collector's Lease and checkpoint; empty means the pod's namespace
 * @param listPageSize       events per page of the initial list and re-lists; 0 lists everything in one response
 */
@ConfigurationProperties("sightline.collector")
public record CollectorProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue List<String> namespaces,
        @DefaultValue List<String> excludedNamespaces,
        @DefaultValue("Normal") String minimumType,
        @DefaultValue("") String dropReasons,
        @DefaultValue("auto") String api,
        @DefaultValue("1h") Duration eventTtl,
        @DefaultValue("") String selfNamespace,
        @DefaultValue("500") int listPageSize,
        @DefaultValue Output output,
        @DefaultValue Checkpoint checkpoint,
        @DefaultValue LeaderElection leaderElection,
        @DefaultValue Metrics metrics) {

    public CollectorProperties {
        namespaces = List.copyOf(namespaces);
        excludedNamespaces = List.copyOf(excludedNamespaces);
        List<String> overlap =
                namespaces.stream().filter(excludedNamespaces::contains).toList();
        require(
                overlap.isEmpty(),
                "sightline.collector.namespaces and excluded-namespaces both list " + overlap
                        + "; remove them from one of the two");
        require(
                minimumType.equalsIgnoreCase("Normal") || minimumType.equalsIgnoreCase("Warning"),
                "sightline.collector.minimum-type must be 'Normal' (everything) or 'Warning' (warnings only), was '"
                        + minimumType + "'");
        try {
            Pattern.compile(dropReasons);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "sightline.collector.drop-reasons is not a valid regular expression (" + e.getDescription() + "): '"
                            + dropReasons + "'",
                    e);
        }
        require(
                EventApiChoice.parse(api) != null,
                "sightline.collector.api must be 'auto', 'events.k8s.io/v1' or 'v1', was '" + api + "'");
        requirePositive(eventTtl, "sightline.collector.event-ttl");
        require(
                listPageSize >= 0,
                "sightline.collector.list-page-size must be 0 (no pages) or more, was " + listPageSize);
    }

    /** True when only {@code Warning} events are collected. */
    public boolean warningsOnly() {
        return minimumType.toLowerCase(Locale.ROOT).equals("warning");
    }

    public EventApiChoice apiChoice() {
        return EventApiChoice.parse(api);
    }

    /**
     * @param path          the JSON-lines file shared with the log-sidecar
     * @param queueCapacity records waiting for the writer; beyond it records are dropped and counted
     * @param maxFileSize   the file is rotated (renamed to {@code .1}) when it would grow past this size
     * @param maxFiles      rotated files kept besides the live one
     */
    public record Output(
            @DefaultValue("/var/log/app/events.log") Path path,
            @DefaultValue("10000") int queueCapacity,
            @DefaultValue("50MB") DataSize maxFileSize,
            @DefaultValue("2") int maxFiles) {

        public Output {
            require(
                    queueCapacity > 0,
                    "sightline.collector.output.queue-capacity must be at least 1, was " + queueCapacity);
            require(
                    maxFileSize.toBytes() >= 1024,
                    "sightline.collector.output.max-file-size must be at least 1KB, was " + maxFileSize);
            require(
                    maxFiles >= 1,
                    "sightline.collector.output.max-files must be at least 1 (the sidecar may still be "
                            + "reading the rotated file), was " + maxFiles);
        }
    }

    /**
     * @param enabled       off switch: without a checkpoint a restart re-emits every event still stored
     * @param configMapName ConfigMap in {@code self-namespace} owned by the collector
     * @param interval      at most one write per interval; also the bound on duplicates after a crash
     */
    public record Checkpoint(
            @DefaultValue("true") boolean enabled,

            @DefaultValue("sightline-event-collector-checkpoint")
            String configMapName,

            @DefaultValue("5s") Duration interval) {

        public Checkpoint {
            require(!configMapName.isBlank(), "sightline.collector.checkpoint.config-map-name must not be empty");
            requirePositive(interval, "sightline.collector.checkpoint.interval");
        }
    }

    /**
     * @param enabled       off switch for single-replica installations: the one instance always emits
     * @param leaseName     Lease in {@code self-namespace}
     * @param leaseDuration how long a silent leader keeps the lease; the takeover time after a crash
     * @param renewDeadline the leader gives up leading when it could not renew for this long
     * @param retryPeriod   how often candidates try to acquire and the leader renews
     */
    public record LeaderElection(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("sightline-event-collector") String leaseName,
            @DefaultValue("15s") Duration leaseDuration,
            @DefaultValue("10s") Duration renewDeadline,
            @DefaultValue("2s") Duration retryPeriod) {

        public LeaderElection {
            require(!leaseName.isBlank(), "sightline.collector.leader-election.lease-name must not be empty");
            requirePositive(retryPeriod, "sightline.collector.leader-election.retry-period");
            require(
                    leaseDuration.compareTo(renewDeadline) > 0 && renewDeadline.compareTo(retryPeriod) > 0,
                    "sightline.collector.leader-election needs lease-duration > renew-deadline > retry-period, was "
                            + leaseDuration + " / " + renewDeadline + " / " + retryPeriod);
        }
    }

    /**
     * @param presetSeries {@code Kind/Reason/Type} of the {@code sightline_kube_events_total} series that exist at 0
     *                     for every namespace with events (the ones alert rules read), on every replica
     * @param maxReasons   distinct {@code reason} values with series of their own; further ones count as "other"
     * @param maxKinds     distinct {@code kind} values with series of their own; further ones count as "other"
     */
    public record Metrics(
            @DefaultValue({
                "Pod/FailedScheduling/Warning",
                "Pod/Failed/Warning",
                "Pod/ErrImagePull/Warning",
                "Pod/ErrImageNeverPull/Warning",
                "Pod/InspectFailed/Warning",
                "Pod/Unhealthy/Warning",
                "Pod/Started/Normal"
            })
            List<String> presetSeries,

            @DefaultValue("100") int maxReasons,
            @DefaultValue("50") int maxKinds) {

        public Metrics {
            presetSeries = List.copyOf(presetSeries);
            for (String preset : presetSeries) {
                require(
                        preset.split("/", -1).length == 3,
                        "sightline.collector.metrics.preset-series entries are Kind/Reason/Type, e.g. "
                                + "Pod/BackOff/Warning, was '" + preset + "'");
            }
            require(maxReasons >= 1, "sightline.collector.metrics.max-reasons must be at least 1, was " + maxReasons);
            require(maxKinds >= 1, "sightline.collector.metrics.max-kinds must be at least 1, was " + maxKinds);
        }
    }

    /** Which Events API the collector reads. */
    public enum EventApiChoice {
        AUTO,
        EVENTS_V1,
        CORE_V1;

        static EventApiChoice parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "events.k8s.io/v1" -> EVENTS_V1;
                case "v1", "core/v1" -> CORE_V1;
                default -> null;
            };
        }
    }

    private static void requirePositive(Duration value, String property) {
        require(!value.isNegative() && !value.isZero(), property + " must be a positive duration, was " + value);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
