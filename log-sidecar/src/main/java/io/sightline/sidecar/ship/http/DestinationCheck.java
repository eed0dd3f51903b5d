package io.sightline.sidecar.ship.http;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

import io.sightline.sidecar.config.Settings;
import io.sightline.sidecar.config.SettingsTable;
import io.sightline.sidecar.metrics.Diagnostics;

/**
 * Asks an HTTP sink's destination once, at start-up, whether it answers ({@code GET} of a cheap endpoint: Loki's
 * {@code /ready}, OpenSearch's {@code /_cluster/health}), and says so in one line: {@code info} when it answers 2xx,
 * else one {@code warn} naming the URL, the answer or the connection error, and what to check. So a wrong URL, a
 * gateway without the route or an expired credential shows at start, not at the first failed push.
 * <p>It only logs: it never throws, and it is not fed into {@code /readyz} (pushes drive that). It runs on the
 * sink's start-up thread once the first push has returned (or soon after start with nothing to send; see
 * {@code PendingSink}), through the sink's own {@link HttpSender} (same auth, TLS and headers), within its own
 * deadline ({@code SIGHTLINE_SINK_HEALTHCHECK_TIMEOUT}).
 */
public final class DestinationCheck {

    /** The answer is only logged (shortened): a cluster's health or Loki's {@code ready} is small. */
    private static final int ANSWER_BYTES = 4 << 10;

    private final URI uri;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final SettingsTable.HttpKeys keys;
    private final Diagnostics diagnostics;

    private DestinationCheck(
            URI uri,
            Map<String, String> headers,
            Duration timeout,
            SettingsTable.HttpKeys keys,
            Diagnostics diagnostics) {
        this.uri = uri;
        this.headers = headers;
        this.timeout = timeout;
        this.keys = keys;
        this.diagnostics = diagnostics;
    }

    /**
     * The check of {@code path} under the sink's base URL, or null when {@code SIGHTLINE_SINK_HEALTHCHECK} is off.
     * {@code headers} are the ones the sink sends with every request (e.g. Loki's tenant).
     */
    public static DestinationCheck of(
            Settings settings,
            SettingsTable.HttpKeys keys,
            HttpSettings http,
            String path,
            Map<String, String> headers,
            Diagnostics diagnostics) {
        if (!SettingsTable.SINK_HEALTHCHECK.value(settings)) {
            return null;
        }
        return new DestinationCheck(
                http.resolve(path), headers, SettingsTable.SINK_HEALTHCHECK_TIMEOUT.value(settings), keys, diagnostics);
    }

    /** Sends the check and logs what came of it; never throws. */
    public void run(HttpSender sender) {
        long start = System.nanoTime();
        try {
            HttpSender.Response response = sender.get(uri, headers, ANSWER_BYTES, timeout);
            long millis = millisSince(start);
            if (ResponseMapping.isSuccess(response.status())) {
                diagnostics.info("the destination answers", "uri", uri, "status", response.status(), "ms", millis);
                return;
            }
            warn(
                    "the destination answered " + response.status() + ": " + hint(response.status()),
                    "answer",
                    ResponseMapping.message(response.status(), response.body()),
                    millis);
        } catch (SSLException e) {
            warn(
                    "no TLS connection to the destination: check "
                            + keys.caFile().name() + " (the CA that signed its"
                            + " certificate) and that the host name in "
                            + keys.url().name() + " is in the certificate",
                    "error",
                    e.toString(),
                    millisSince(start));
        } catch (IOException e) {
            warn(
                    "the destination cannot be reached: check " + keys.url().name()
                            + " (host, port, scheme) and that a network policy lets this pod reach it",
                    "error",
                    e.toString(),
                    millisSince(start));
        } catch (RuntimeException e) { // a check must not end its thread, whatever it meets
            warn("the destination check failed", "error", e.toString(), millisSince(start));
        }
    }

    private String hint(int status) {
        return switch (status) {
            case 401, 403 ->
                "check the credentials (" + keys.username().name() + " and "
                        + keys.passwordFile().name() + ", or "
                        + keys.bearerTokenFile().name()
                        + ": is the Secret current?) and the user's rights to " + uri.getPath();
            case 404 ->
                "check " + keys.url().name() + " and its path: nothing answers " + uri.getPath()
                        + " there (a gateway in front may not expose it; then switch the check off)";
            case 407 -> "a proxy between asks for credentials: check the JVM's proxy settings";
            default ->
                status >= 500
                        ? "the destination is there but not ready (Loki answers 503 while an ingester starts)"
                        : "check " + keys.url().name();
        };
    }

    private void warn(String what, String detailName, String detail, long millis) {
        diagnostics.warn(
                what + "; shipping goes ahead and retries as usual (" + SettingsTable.SINK_HEALTHCHECK.name()
                        + "=false switches this check off)",
                "uri",
                uri,
                detailName,
                detail,
                "ms",
                millis);
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
