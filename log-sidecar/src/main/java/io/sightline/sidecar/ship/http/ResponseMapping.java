package io.sightline.sidecar.ship.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.SendResult;
import io.sightline.sidecar.ship.SendResult.RetryKind;

/**
 * What an HTTP status means for the whole batch: 2xx accepted; 401, 403, 404 and 407 a refusal of
 * who we are or where we send (held and retried: the records are fine); 413 too large (split);
 * 408, 429, 5xx (and 1xx, 3xx, which a push never expects) worth retrying, honouring
 * {@code Retry-After}; any other 4xx refused for good with the server's message.
 */
public final class ResponseMapping {

    /** Server messages are logged; a whole HTML error page would drown the log. */
    static final int MAX_MESSAGE_CHARS = 512;

    private ResponseMapping() {}

    public static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    public static boolean isRetryable(int status) {
        return status == 408 || status == 429 || status >= 500 || status < 200 || (status >= 300 && status < 400);
    }

    /** 401, 403, 404, 407: credentials, permissions, URL or proxy are wrong; nothing is wrong with the records. */
    public static boolean isRefusal(int status) {
        return status == 401 || status == 403 || status == 404 || status == 407;
    }

    /** The {@code cause} label of the retry metric for a status. */
    public static String cause(int status) {
        return "http_" + status;
    }

    public static SendResult forBatch(HttpSender.Response response, List<LogRecord> batch, Clock clock) {
        int status = response.status();
        if (isSuccess(status)) {
            return SendResult.ok();
        }
        String message = message(status, response.body());
        if (isRefusal(status)) {
            return SendResult.retryAll(batch, RetryKind.REFUSED, cause(status), null, message);
        }
        if (status == 413) {
            return SendResult.retryAll(batch, RetryKind.TOO_LARGE, cause(status), null, message);
        }
        if (isRetryable(status)) {
            return SendResult.retryAll(
                    batch,
                    RetryKind.TRANSIENT,
                    cause(status),
                    RetryAfter.parse(response.header("Retry-After"), clock),
                    message);
        }
        return SendResult.rejectAll(batch, message);
    }

    /** {@code HTTP 400: <first line(s) of the body>}, shortened. */
    public static String message(int status, byte[] body) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
        if (text.length() > MAX_MESSAGE_CHARS) {
            text = text.substring(0, MAX_MESSAGE_CHARS) + "…";
        }
        return text.isEmpty() ? "HTTP " + status : "HTTP " + status + ": " + text;
    }
}
