package io.sightline.sidecar.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the sidecar, each defined once (name, default, parser, description), in the order
 * and sections of the reference. {@code --help} prints {@link #reference()}; the guide's tables
 * (docs/log-sidecar.md) are checked against this class by a test, defaults included.
 */
public final class SettingsTable {

    private SettingsTable() {}

    /** A titled group of settings, as the reference and the guide show them. */
    public record Section(String title, List<Setting<?>> settings) {}

    /** The connection settings an HTTP sink reads under its prefix ({@code LOKI}, {@code OPENSEARCH}). */
    public record HttpKeys(
            Setting<URI> url,
            Setting<String> username,
            Setting<Path> passwordFile,
            Setting<Path> bearerTokenFile,
            Setting<Path> caFile,
            Setting<Duration> timeout) {

        static HttpKeys of(String prefix, String defaultUrl, String what) {
            return new HttpKeys(
                    new Setting<>(prefix + "_URL", defaultUrl, Parser.httpUrl(), "base URL of " + what),
                    new Setting<>(
                            prefix + "_USERNAME",
                            null,
                            Parser.text(),
                            "basic auth user (with " + prefix + "_PASSWORD_FILE)"),
                    new Setting<>(
                            prefix + "_PASSWORD_FILE",
                            null,
                            Parser.readableFile(),
                            "file holding the basic auth password (a Secret mount; read again for every request)"),
                    new Setting<>(
                            prefix + "_BEARER_TOKEN_FILE",
                            null,
                            Parser.readableFile(),
                            "file holding a bearer token, instead of basic auth (read again for every request)"),
                    new Setting<>(
                            prefix + "_CA_FILE",
                            null,
                            Parser.readableFile(),
                            "PEM CA certificate(s) trusted for an https:// " + prefix + "_URL"),
                    new Setting<>(prefix + "_TIMEOUT", "10s", Parser.duration(), "timeout of one request"));
        }

        List<Setting<?>> all() {
            return List.of(url, username, passwordFile, bearerTokenFile, caFile, timeout);
        }
    }

    // ---- general
    public static final Setting<Path> CONFIG_FILE = new Setting<>(
            "SIGHTLINE_CONFIG_FILE", null, Parser.path(), "optional YAML file with any of these settings");
    public static final Setting<String> SINK = new Setting<>(
            "SIGHTLINE_SINK",
            "loki",
            Parser.choice("loki", "opensearch", "stdout"),
            "where records go: loki | opensearch | stdout");
    public static final Setting<String> LOG_LEVEL = new Setting<>(
            "SIGHTLINE_LOG_LEVEL",
            "info",
            Parser.choice("debug", "info", "warn", "error"),
            "own diagnostics on stderr, one JSON object per line: debug | info | warn | error");

    // ---- source
    public static final Setting<List<String>> INPUT_GLOBS = new Setting<>(
            "SIGHTLINE_INPUT_GLOBS",
            "/var/log/app/*.log",
            Parser.absoluteGlobs(),
            "comma-separated absolute globs of the files to tail; the glob is the input metric label;"
                    + " rotated names should not match");
    public static final Setting<String> READ_FROM = new Setting<>(
            "SIGHTLINE_READ_FROM",
            "beginning",
            Parser.choice("beginning", "end"),
            "first start without a checkpoint: read existing files from the beginning | end"
                    + " (files created later are always read from the beginning)");
    public static final Setting<Duration> POLL_INTERVAL = new Setting<>(
            "SIGHTLINE_POLL_INTERVAL",
            "250ms",
            Parser.duration(),
            "how often the globs are listed and idle files checked for new data");
    public static final Setting<Duration> ROTATE_WAIT = new Setting<>(
            "SIGHTLINE_ROTATE_WAIT",
            "5s",
            Parser.duration(),
            "a file renamed away (rotated) is read until it has not grown for this long, so late writes"
                    + " through the application's old handle arrive");
    public static final Setting<Boolean> FOLLOW_SYMLINKS = new Setting<>(
            "SIGHTLINE_FOLLOW_SYMLINKS",
            "false",
            Parser.bool(),
            "read files that a matching symbolic link points to, wherever they are (nodes need it for"
                    + " /var/log/containers): true | false; off: links are reported and skipped");
    public static final Setting<Integer> MAX_OPEN_FILES = new Setting<>(
            "SIGHTLINE_MAX_OPEN_FILES",
            "1024",
            Parser.integer(8, 1_000_000),
            "files kept open at once; idle ones are closed and reopened (by identity) when they grow");
    public static final Setting<Long> MAX_LINE_BYTES = new Setting<>(
            "SIGHTLINE_MAX_LINE_BYTES",
            "256KiB",
            Parser.size(1 << 10, 64 << 20),
            "longer records (UTF-8 bytes as shipped) are truncated to this size and counted in"
                    + " sightline_sidecar_lines_truncated_total; the default is Loki's default max_line_size");
    public static final Setting<Duration> PARTIAL_LINE_TIMEOUT = new Setting<>(
            "SIGHTLINE_PARTIAL_LINE_TIMEOUT",
            "5s",
            Parser.duration(),
            "an unfinished last line is shipped as it is after this long without new data");
    public static final Setting<Boolean> MULTILINE = new Setting<>(
            "SIGHTLINE_MULTILINE",
            "true",
            Parser.bool(),
            "join plain-text stack traces (indented, \"at \", \"Caused by:\", \"... N more\" lines) into one record:"
                    + " true | false");
    public static final Setting<Duration> MULTILINE_TIMEOUT = new Setting<>(
            "SIGHTLINE_MULTILINE_TIMEOUT",
            "1s",
            Parser.duration(),
            "a record being joined is shipped after this long without a new line");

    // ---- delivery
    public static final Setting<Long> BATCH_MAX_BYTES = new Setting<>(
            "SIGHTLINE_BATCH_MAX_BYTES",
            "1MiB",
            Parser.size(1 << 10, 64 << 20),
            "a batch is sent when it reaches this size ...");
    public static final Setting<Duration> BATCH_MAX_WAIT = new Setting<>(
            "SIGHTLINE_BATCH_MAX_WAIT", "1s", Parser.duration(), "... or when its oldest record waited this long");
    public static final Setting<Long> MAX_IN_FLIGHT_BYTES = new Setting<>(
            "SIGHTLINE_MAX_IN_FLIGHT_BYTES",
            "4MiB",
            Parser.size(2 << 10, 1L << 34),
            "records read but not yet acknowledged, and unfinished lines held by readers (approximate size);"
                    + " reading pauses at the bound (at least 2 x batch size)");
    public static final Setting<Duration> RETRY_INITIAL_BACKOFF = new Setting<>(
            "SIGHTLINE_RETRY_INITIAL_BACKOFF",
            "500ms",
            Parser.duration(),
            "first wait after a failed send; doubles per attempt, half of it random (jitter)");
    public static final Setting<Duration> RETRY_MAX_BACKOFF = new Setting<>(
            "SIGHTLINE_RETRY_MAX_BACKOFF",
            "30s",
            Parser.duration(),
            "longest wait between attempts, also when the server's Retry-After asks for more");
    public static final Setting<Integer> RETRY_MAX_ATTEMPTS = new Setting<>(
            "SIGHTLINE_RETRY_MAX_ATTEMPTS",
            "0",
            Parser.integer(0, 1_000_000),
            "give up on a batch after this many attempts, counted as dropped (retries_exhausted);"
                    + " 0 = never give up, the file is the buffer");
    public static final Setting<Duration> SHUTDOWN_GRACE = new Setting<>(
            "SIGHTLINE_SHUTDOWN_GRACE",
            "10s",
            Parser.duration(),
            "on SIGTERM: time to send what was read before the checkpoint is saved and the process exits 0");
    public static final Setting<Boolean> SINK_HEALTHCHECK = new Setting<>(
            "SIGHTLINE_SINK_HEALTHCHECK",
            "true",
            Parser.bool(),
            "at start-up, ask the Loki or OpenSearch destination once whether it answers (Loki: GET /ready,"
                    + " OpenSearch: GET /_cluster/health) and log the answer; it never delays start-up or shipping:"
                    + " true | false");
    public static final Setting<Duration> SINK_HEALTHCHECK_TIMEOUT = new Setting<>(
            "SIGHTLINE_SINK_HEALTHCHECK_TIMEOUT",
            "5s",
            Parser.duration(),
            "deadline of that check, from connecting to the last byte of the answer");

    // ---- checkpoint
    public static final Setting<Boolean> CHECKPOINT_ENABLED = new Setting<>(
            "SIGHTLINE_CHECKPOINT_ENABLED",
            "true",
            Parser.bool(),
            "persist acknowledged offsets so a restart neither loses nor repeats records");
    public static final Setting<Path> CHECKPOINT_DIR = new Setting<>(
            "SIGHTLINE_CHECKPOINT_DIR",
            "/var/log/app/.sightline",
            Parser.path(),
            "directory of the checkpoint file; writable, on the shared log volume");

    // ---- metrics and health
    public static final Setting<Boolean> METRICS_ENABLED =
            new Setting<>("SIGHTLINE_METRICS_ENABLED", "true", Parser.bool(), "serve /metrics, /healthz and /readyz");
    public static final Setting<Integer> METRICS_PORT = new Setting<>(
            "SIGHTLINE_METRICS_PORT", "9095", Parser.integer(0, 65535), "management port (0 = any free port)");
    public static final Setting<String> METRICS_ADDRESS = new Setting<>(
            "SIGHTLINE_METRICS_ADDRESS", "0.0.0.0", Parser.text(), "address the management port binds to");
    public static final Setting<Duration> READY_WINDOW = new Setting<>(
            "SIGHTLINE_READY_WINDOW",
            "60s",
            Parser.duration(),
            "/readyz fails once the sink has been unreachable (connection errors, timeouts), or has refused"
                    + " our credentials or address (401, 403, 404, 407), for this long");

    public static final Setting<String> NAMESPACE_FROM_FIELD = new Setting<>(
            "SIGHTLINE_NAMESPACE_FROM_FIELD",
            null,
            Parser.text(),
            "take each JSON record's namespace (Loki label namespace, OpenSearch field namespace) from this"
                    + " top-level string field instead of POD_NAMESPACE (the event-collector: namespace);"
                    + " records without it keep POD_NAMESPACE");

    // ---- identity (Downward API; contract section 1)
    public static final Setting<String> POD_NAMESPACE =
            new Setting<>("POD_NAMESPACE", null, Parser.text(), "the pod's namespace (Downward API)");
    public static final Setting<String> POD_NAME =
            new Setting<>("POD_NAME", null, Parser.text(), "the pod's name (Downward API)");
    public static final Setting<String> NODE_NAME =
            new Setting<>("NODE_NAME", null, Parser.text(), "the node's name (Downward API)");
    public static final Setting<String> CONTAINER_NAME =
            new Setting<>("CONTAINER_NAME", null, Parser.text(), "the application container's name");
    public static final Setting<String> CLUSTER_NAME =
            new Setting<>("CLUSTER_NAME", null, Parser.text(), "optional cluster name (label cluster)");

    // ---- Loki
    public static final HttpKeys LOKI_HTTP =
            HttpKeys.of("LOKI", "http://loki:3100", "Loki; batches go to /loki/api/v1/push");
    public static final Setting<String> LOKI_FORMAT = new Setting<>(
            "LOKI_FORMAT",
            "protobuf",
            Parser.choice("protobuf", "json"),
            "protobuf (snappy-compressed PushRequest; json, with a warning, where snappy cannot load: it needs a writable /tmp) | json");
    public static final Setting<String> LOKI_TENANT_ID =
            new Setting<>("LOKI_TENANT_ID", null, Parser.text(), "sent as X-Scope-OrgID when set");
    public static final Setting<String> SERVICE_NAME =
            new Setting<>("SERVICE_NAME", "unknown", Parser.text(), "service_name label of records that carry none");

    // ---- OpenSearch
    public static final HttpKeys OPENSEARCH_HTTP =
            HttpKeys.of("OPENSEARCH", "http://opensearch:9200", "OpenSearch (or Elasticsearch); batches go to /_bulk");
    public static final Setting<String> OPENSEARCH_INDEX = new Setting<>(
            "OPENSEARCH_INDEX",
            "logs-{yyyy.MM.dd}",
            Parser.text(),
            "index name pattern; the date part is the record's date (UTC)");

    public static final Setting<Boolean> OPENSEARCH_INDEX_TEMPLATE = new Setting<>(
            "OPENSEARCH_INDEX_TEMPLATE",
            "true",
            Parser.bool(),
            "install Sightline's index template (types of the contract's fields) once, unless one of that name"
                    + " exists: true | false (needs the manage_index_templates privilege; without it a warning,"
                    + " and shipping goes on)");

    // ---- node mode
    public static final Setting<String> MODE = new Setting<>(
            "SIGHTLINE_MODE",
            "sidecar",
            Parser.choice("sidecar", "node"),
            "sidecar: tail SIGHTLINE_INPUT_GLOBS as this pod's own files | node: the node agent, reading every"
                    + " container's log file under SIGHTLINE_NODE_PODS_DIR (SIGHTLINE_INPUT_GLOBS and"
                    + " SIGHTLINE_READ_FROM are not used)");
    public static final Setting<Path> NODE_PODS_DIR = new Setting<>(
            "SIGHTLINE_NODE_PODS_DIR",
            "/var/log/pods",
            Parser.path(),
            "node mode: the kubelet's pod log directory (<namespace>_<pod>_<uid>/<container>/<restart>.log),"
                    + " mounted read-only; the checkpoint must be elsewhere");
    public static final Setting<String> NODE_READ_FROM = new Setting<>(
            "SIGHTLINE_NODE_READ_FROM",
            "end",
            Parser.choice("end", "beginning"),
            "node mode, first start without a checkpoint: read the files that exist from their end | beginning"
                    + " (containers started later are always read from the beginning)");
    public static final Setting<Boolean> NODE_POD_METADATA = new Setting<>(
            "SIGHTLINE_NODE_POD_METADATA",
            "true",
            Parser.bool(),
            "node mode: watch this node's pods (API server, get/list/watch on pods) for service_name labels and"
                    + " sightline.io/logs exclusions: true | false (off: service_name is the container's name,"
                    + " nothing is excluded by annotation)");
    public static final Setting<Duration> NODE_DELETED_POD_GRACE = new Setting<>(
            "SIGHTLINE_NODE_DELETED_POD_GRACE",
            "5m",
            Parser.duration(),
            "node mode: a deleted pod's labels are kept this long, so its last lines still get its service name");
    public static final Setting<Integer> NODE_MAX_PODS = new Setting<>(
            "SIGHTLINE_NODE_MAX_PODS",
            "512",
            Parser.integer(16, 100_000),
            "node mode: pods whose metadata is cached (a node runs at most 110 by default; deleted ones go first)");

    public static final List<Section> SECTIONS = List.of(
            new Section("general", List.of(CONFIG_FILE, SINK, LOG_LEVEL)),
            new Section(
                    "source",
                    List.of(
                            INPUT_GLOBS,
                            READ_FROM,
                            POLL_INTERVAL,
                            ROTATE_WAIT,
                            FOLLOW_SYMLINKS,
                            MAX_OPEN_FILES,
                            MAX_LINE_BYTES,
                            PARTIAL_LINE_TIMEOUT,
                            MULTILINE,
                            MULTILINE_TIMEOUT)),
            new Section(
                    "delivery",
                    List.of(
                            BATCH_MAX_BYTES,
                            BATCH_MAX_WAIT,
                            MAX_IN_FLIGHT_BYTES,
                            RETRY_INITIAL_BACKOFF,
                            RETRY_MAX_BACKOFF,
                            RETRY_MAX_ATTEMPTS,
                            SHUTDOWN_GRACE,
                            SINK_HEALTHCHECK,
                            SINK_HEALTHCHECK_TIMEOUT)),
            new Section(
                    "node mode (SIGHTLINE_MODE=node)",
                    List.of(
                            MODE,
                            NODE_PODS_DIR,
                            NODE_READ_FROM,
                            NODE_POD_METADATA,
                            NODE_DELETED_POD_GRACE,
                            NODE_MAX_PODS)),
            new Section("checkpoint", List.of(CHECKPOINT_ENABLED, CHECKPOINT_DIR)),
            new Section("metrics and health", List.of(METRICS_ENABLED, METRICS_PORT, METRICS_ADDRESS, READY_WINDOW)),
            new Section(
                    "identity (Downward API; contract section 1)",
                    List.of(POD_NAMESPACE, POD_NAME, NODE_NAME, CONTAINER_NAME, CLUSTER_NAME, NAMESPACE_FROM_FIELD)),
            new Section(
                    "Loki sink (SIGHTLINE_SINK=loki)",
                    followedBy(LOKI_HTTP.all(), LOKI_FORMAT, LOKI_TENANT_ID, SERVICE_NAME)),
            new Section(
                    "OpenSearch sink (SIGHTLINE_SINK=opensearch)",
                    followedBy(OPENSEARCH_HTTP.all(), OPENSEARCH_INDEX, OPENSEARCH_INDEX_TEMPLATE)));

    private static final List<Setting<?>> ALL = inOrder(SECTIONS);

    /** Every setting, in the order of the reference. */
    public static List<Setting<?>> all() {
        return ALL;
    }

    public static Optional<Setting<?>> named(String name) {
        for (Setting<?> setting : ALL) {
            if (setting.name().equals(name)) {
                return Optional.of(setting);
            }
        }
        return Optional.empty();
    }

    // plain loops rather than streams: the table is read on the main thread before the first line (issue 16)
    private static List<Setting<?>> followedBy(List<Setting<?>> first, Setting<?>... then) {
        List<Setting<?>> settings = new ArrayList<>(first);
        settings.addAll(List.of(then));
        return List.copyOf(settings);
    }

    private static List<Setting<?>> inOrder(List<Section> sections) {
        List<Setting<?>> settings = new ArrayList<>();
        for (Section section : sections) {
            settings.addAll(section.settings());
        }
        return List.copyOf(settings);
    }

    /** The text of {@code --help}. */
    public static String reference() {
        StringBuilder text = new StringBuilder()
                .append("sightline-log-sidecar: tails log files and ships them to Loki, OpenSearch or stdout.\n\n")
                .append("Usage: java -jar sightline-log-sidecar-all.jar [--config FILE] | --help\n\n")
                .append("Settings come from environment variables; an optional YAML file (--config FILE, or the\n")
                .append("setting SIGHTLINE_CONFIG_FILE) holds the same keys as a flat mapping, e.g.\n")
                .append("\"LOKI_URL: http://loki:3100\".\n")
                .append(
                        "The environment overrides the file. Sizes: 512, 256KiB, 1MiB, 1GiB. Durations: 500ms, 10s, 2m, 1h.\n")
                .append("An unusable value stops start-up (exit code 2) with a message naming the setting.\n\n")
                .append(String.format("%-32s %-24s %s%n", "SETTING", "DEFAULT", "MEANING"));
        for (Section section : SECTIONS) {
            text.append("-- ").append(section.title()).append(" --\n");
            for (Setting<?> setting : section.settings()) {
                text.append(String.format(
                        "%-32s %-24s %s%n", setting.name(), setting.shownDefault(), setting.description()));
            }
        }
        return text.toString();
    }
}
