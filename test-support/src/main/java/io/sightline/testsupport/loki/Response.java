package io.sightline.testsupport.loki;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/**
 * How the fake answers one request. {@link CannedResponse} covers a status with headers and a text body; a new
 * failure mode that needs more (a slow or trickling body, a dropped connection) is one more implementation.
 */
public interface Response {

    /** The status sent, as recorded in {@link Request#status()}. */
    int status();

    /** Writes the whole answer; the caller closes the exchange. */
    void send(HttpExchange exchange) throws IOException;

    /** A status with no headers and no body, e.g. {@code Response.status(503).withHeader("Retry-After", "7")}. */
    static CannedResponse status(int status) {
        return new CannedResponse(status, Map.of(), "");
    }

    /**
     * Headers at once, then a body announced as {@code length} bytes that arrives one byte per
     * {@code interval}: a slow or stuck server (or a proxy between) that a client must not wait for forever.
     */
    static Response trickle(int status, long length, Duration interval) {
        return new TricklingResponse(status, length, interval);
    }
}
