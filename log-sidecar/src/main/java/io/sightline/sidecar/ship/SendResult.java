package io.sightline.sidecar.ship;

import java.time.Duration;
import java.util.List;

import io.sightline.sidecar.parse.LogRecord;

/**
 * What one send attempt did with a batch: every record not in {@code retry} and not {@code rejected}
 * was accepted.
 *
 * @param retry        records to send again; empty when none
 * @param retryKind    why they come back, which decides how the delivery stage sends them again
 * @param retryCause   the {@code cause} label of the retry metric, e.g. {@code http_503}; null when no retry
 * @param retryAfter   the server's {@code Retry-After}, or null to let the delivery stage back off on its own
 * @param message      the server's message for the retry (refusals, 413), logged once per change; may be null
 * @param rejected     how many records the server refused for good; counted as dropped
 * @param rejectReason the server's message for the refusal, logged once per batch; null when nothing was rejected
 * @param reshaped     accepted records that the server refused in their own form and stored in a form that
 *                     cannot conflict (OpenSearch mapping conflicts); counted apart
 */
public record SendResult(
        List<LogRecord> retry,
        RetryKind retryKind,
        String retryCause,
        Duration retryAfter,
        String message,
        int rejected,
        String rejectReason,
        int reshaped) {

    /** How records that come back are sent again. */
    public enum RetryKind {
        /** Nothing to send again. */
        NONE,
        /** The sink is unreachable, overloaded or failing (connection, 408, 429, 5xx): back off and resend. */
        TRANSIENT,
        /**
         * The sink refuses who we are or where we send (401, 403, 404, 407): a configuration problem,
         * not bad data. Held and resent with back-off; {@code /readyz} fails.
         */
        REFUSED,
        /** The request was too large for the server or a proxy in front of it (413): split and resend. */
        TOO_LARGE,
        /** The sink failed on the records themselves (a bug): split to find the record, drop only that one. */
        BROKEN
    }

    private static final SendResult OK = new SendResult(List.of(), RetryKind.NONE, null, null, null, 0, null, 0);

    public static SendResult ok() {
        return OK;
    }

    public static SendResult retryAll(List<LogRecord> batch, String cause, Duration retryAfter) {
        return retryAll(batch, RetryKind.TRANSIENT, cause, retryAfter, null);
    }

    public static SendResult retryAll(
            List<LogRecord> batch, RetryKind kind, String cause, Duration retryAfter, String message) {
        return new SendResult(List.copyOf(batch), kind, cause, retryAfter, message, 0, null, 0);
    }

    public static SendResult rejectAll(List<LogRecord> batch, String reason) {
        return rejected(batch.size(), reason);
    }

    /** {@code count} records refused for good, the others accepted. */
    public static SendResult rejected(int count, String reason) {
        return new SendResult(List.of(), RetryKind.NONE, null, null, null, count, reason, 0);
    }

    public boolean fullyAccepted() {
        return retry.isEmpty() && rejected == 0;
    }
}
