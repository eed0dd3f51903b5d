package io.sightline.telemetry.logging;

import java.util.List;
import java.util.function.Function;

import io.sightline.telemetry.masking.Masker;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Logging settings of the Sightline starter ({@code sightline.logging.*}).
 *
 * @param enabled Whether the starter configures logging (JSON or text console, optional file, async
 * queue, masking); {@code false} leaves Spring Boot's logging untouched.
 * @param format Console format: {@code auto} (JSON when the environment variable
 * {@code KUBERNETES_SERVICE_HOST} is set, text otherwise), {@code json} or {@code text}.
 * @param file Optional JSON file output for the log sidecar.
 * @param async The bounded queue every log event goes through.
 * @param masking Masking of secrets before a line is written.
 * @param maxFieldLength Longest message, exception message and MDC or key/value value kept, in
 * characters; longer ones are cut when logged, end with "…[truncated]" and are counted in
 * {@code sightline_log_events_truncated_total}. At least 256.
 */
@ConfigurationProperties("sightline.logging")
public record LoggingProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("auto") Format format,
        @DefaultValue File file,
        @DefaultValue Async async,
        @DefaultValue Masking masking,
        @DefaultValue("16384") int maxFieldLength) {

    /** Below this a cut would hide what a line is about. */
    static final int MIN_FIELD_LENGTH = 256;

    public LoggingProperties {
        require(
                maxFieldLength >= MIN_FIELD_LENGTH,
                "sightline.logging.max-field-length",
                maxFieldLength,
                "a number of characters of at least " + MIN_FIELD_LENGTH + ", such as 16384");
    }

    /** Environment variable Kubernetes sets in every container; its presence selects JSON in {@code auto}. */
    public static final String KUBERNETES_ENV = "KUBERNETES_SERVICE_HOST";

    /** Console output format. */
    public enum Format {

        /** JSON inside Kubernetes, text elsewhere. */
        AUTO,
        /** One JSON object per line (telemetry contract, section 2). */
        JSON,
        /** Human-readable lines for local development. */
        TEXT;

        /**
         * The format to use in the current environment.
         * @param env how to read an environment variable (injectable for tests)
         * @return {@link #JSON} or {@link #TEXT}, never {@link #AUTO}
         */
        public Format resolve(Function<String, String> env) {
            if (this != AUTO) {
                return this;
            }
            return StringUtils.hasText(env.apply(KUBERNETES_ENV)) ? JSON : TEXT;
        }
    }

    /**
     * JSON file output, rotated by renaming ({@code app.log} → {@code app.log.1} → … ) when it grows past
     * {@code maxSize}, keeping at most {@code maxHistory} old files.
     *
     * @param path File to write as well, e.g. {@code /var/log/app/app.log}; no file output when unset.
     * @param maxSize Size at which the file is rotated; must be positive.
     * @param maxHistory Number of rotated files kept ({@code app.log.1} … {@code app.log.N}), 1 to 20.
     */
    public record File(
            String path,
            @DefaultValue("50MB") DataSize maxSize,
            @DefaultValue("5") int maxHistory) {

        /** Logback's fixed-window rolling policy refuses windows larger than this. */
        static final int MAX_HISTORY_LIMIT = 20;

        public File {
            require(
                    maxSize != null && maxSize.toBytes() > 0,
                    "sightline.logging.file.max-size",
                    maxSize,
                    "a positive size such as 50MB");
            require(
                    maxHistory >= 1 && maxHistory <= MAX_HISTORY_LIMIT,
                    "sightline.logging.file.max-history",
                    maxHistory,
                    "a number from 1 to " + MAX_HISTORY_LIMIT);
        }

        /** Whether file output is configured. */
        public boolean enabled() {
            return StringUtils.hasText(this.path);
        }
    }

    /**
     * The bounded queue in front of every appender: when it is full, new events are dropped and counted
     * ({@code sightline_log_events_dropped_total}) rather than blocking the logging thread.
     *
     * @param queueSize Events that may wait to be written before new ones are dropped and counted; must be positive.
     * @param maxQueuedSize Heap the waiting events may hold (estimated from their texts) before new ones
     * are dropped and counted; must be positive.
     */
    public record Async(
            @DefaultValue("8192") int queueSize,
            @DefaultValue("16MB") DataSize maxQueuedSize) {

        public Async {
            require(queueSize > 0, "sightline.logging.async.queue-size", queueSize, "a positive number such as 8192");
            require(
                    maxQueuedSize != null && maxQueuedSize.toBytes() > 0,
                    "sightline.logging.async.max-queued-size",
                    maxQueuedSize,
                    "a positive size such as 16MB");
        }
    }

    /**
     * Masking of secrets (telemetry contract, section 6) in messages, MDC values, key/value pairs and
     * exception messages.
     *
     * @param enabled Whether secrets are masked in logs.
     * @param extraKeys Further key words whose values are masked (literal, any case), in addition to
     * {@code password|passwd|secret|token|api[-_]?key|authorization|cookie|session}.
     */
    public record Masking(
            @DefaultValue("true") boolean enabled,
            @DefaultValue List<String> extraKeys) {

        public Masking {
            extraKeys = (extraKeys != null) ? List.copyOf(extraKeys) : List.of();
        }

        /** The masking rules these settings describe: the one place the starter's {@code Masker} is built. */
        public Masker masker() {
            return Masker.withExtraKeys(this.extraKeys);
        }
    }

    private static void require(boolean valid, String property, Object value, String expected) {
        if (!valid) {
            throw new IllegalArgumentException(
                    "Invalid value '%s' for '%s': set it to %s".formatted(value, property, expected));
        }
    }
}
