package io.sightline.sidecar.ship;

import java.time.Duration;
import java.util.List;

import io.sightline.sidecar.parse.LogRecord;

/**
 * What one send attempt did with a batch.
 *
 * @param retry        records to send again (429, 5xx, per-item retryable errors); empty when none
 * @param retryCause   the {@code cause} label for the retry metric, e.g. {@code http_503}, {@code http_429}; null when no retry
 * @param retryAfter   the server's {@code Retry-After}, or null to let the delivery stage back off on its own
 * @param rejected     how many records the server refused for good (4xx other than 429, per-item errors); counted as dropped
 * @param rejectReason the server's message for the refusal, logged once per batch; null when nothing was rejected
 */
public record SendResult(
        List<LogRecord> retry, String retryCause, Duration retryAfter, int rejected, String rejectReason) {

    private static final SendResult OK = new SendResult(List.of(), null, null, 0, null);

    public static SendResult ok() {
        return OK;
    }

    public static SendResult retryAll(List<LogRecord> batch, String cause, Duration retryAfter) {
        return new SendResult(List.copyOf(batch), cause, retryAfter, 0, null);
    }

    public static SendResult rejectAll(List<LogRecord> batch, String reason) {
        return new SendResult(List.of(), null, null, batch.size(), reason);
    }

    public boolean fullyAccepted() {
        return retry.isEmpty() && rejected == 0;
    }
}
