package io.sightline.sidecar.ship.http;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.SendResult;

/**
 * What an HTTP status means for the whole batch: 2xx accepted; 408, 429 and 5xx worth retrying
 * (honouring {@code Retry-After}); any other 4xx refused for good with the server's message.
 */
public final class ResponseMapping {

    /** Server messages are logged once per batch; a whole HTML error page would drown the log. */
    static final int MAX_MESSAGE_CHARS = 512;

    private ResponseMapping() {}

    public static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    public static boolean isRetryable(int status) {
        return status == 408 || status == 429 || status >= 500 || status < 200 || (status >= 300 && status < 400);
    }

    /** The {@code cause} label of the retry metric for a status. */
    public static String cause(int status) {
        return "http_" + status;
    }

    public static SendResult forBatch(HttpResponse<byte[]> response, List<LogRecord> batch, Clock clock) {
        int status = response.statusCode();
        if (isSuccess(status)) {
            return SendResult.ok();
        }
        if (isRetryable(status)) {
            return SendResult.retryAll(
                    batch,
                    cause(status),
                    RetryAfter.parse(
                            response.headers().firstValue("Retry-After").orElse(null), clock));
        }
        return SendResult.rejectAll(batch, message(status, response.body()));
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
