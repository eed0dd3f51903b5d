package io.sightline.sidecar.ship.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends one request for a sink (a POST of a batch, mostly) as a blocking exchange on the caller's thread, with the
 * JDK's {@link HttpURLConnection}: no selector thread and no hand-off between threads per push, and a fraction of the
 * classes of the JDK's asynchronous client at start-up (docs/benchmarks.md, issue 16).
 * <ul>
 *   <li>HTTP/1.1; connections are kept alive and reused between pushes. An answer read to its end leaves the
 *       connection for the next push; one cut at the size bound, timed out or broken closes it.
 *   <li>One attempt, no retries (that is the delivery stage's job): HttpURLConnection's own re-sending of a POST whose
 *       answer could not be read is switched off ({@code sun.net.http.retryPost=false}, set by this class). A PUT (the
 *       OpenSearch index template, idempotent) may still be sent again once on a new connection.
 *   <li>Redirects are returned, never followed; no authenticator answers a 401 or 407 (the sender's own one has no
 *       credentials; the {@code Authorization} header is re-read from its file on every request); no cache. The
 *       proxy is the JVM's default proxy selector, as with the JDK's other client: none unless the user sets the
 *       {@code http(s).proxyHost} system properties. No cookies: nothing in the sidecar installs a cookie handler.
 *   <li>TLS trusts the configured CA file when there is one, else the JDK's default trust store; host names are
 *       verified (the JDK's default check). An {@code http://} destination loads no TLS class at all (a third of a
 *       second of start-up on a busy node).
 *   <li>The timeout is a deadline for the whole exchange, from connecting to the last byte of the answer: a socket
 *       read timeout alone would let a server that trickles its headers or body hold the sender for as long as it
 *       likes, so a watchdog closes the connection at the deadline. It also ends the exchange when the caller is
 *       interrupted (a blocked socket read does not notice an interrupt). The body is read up to a size bound; the
 *       rest is not read.
 * </ul>
 */
public final class HttpSender {

    /** The JDK's switch for re-sending a POST whose answer could not be read ({@code true} unless set). */
    private static final String RETRY_POST = "sun.net.http.retryPost";

    /**
     * What a sink needs of an answer: status, headers (names looked up ignoring case), and the body up to the bound
     * ({@code complete} false when there was more).
     */
    public record Response(int status, Map<String, List<String>> headers, byte[] body, boolean complete) {
        /** The first value of a header, or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    static {
        // HttpURLConnection sends a POST again on a new connection when reading the answer fails (the server may have
        // stored the first). Streaming the body would stop that too, but then a 401 or 407 comes back without its body,
        // the server's reason. The JDK reads the switch once, when its HTTP client class is initialised: the sidecar's
        // first HttpURLConnection is this class's (KubePodMetadata uses the java.net.http client).
        System.setProperty(RETRY_POST, "false");
    }

    /** How often a long exchange looks at the caller's interrupt flag: a push on a healthy link ends well before. */
    private static final long INTERRUPT_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** One thread for every sender's deadlines; an exchange that ends removes its check at once. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    /** Answers no 401 or 407 with credentials, whatever the JVM-wide default authenticator is. */
    private static final Authenticator NO_CREDENTIALS = new Authenticator() {};

    private final HttpSettings settings;
    private final SSLSocketFactory tls;

    public HttpSender(HttpSettings settings) {
        this.settings = settings;
        this.tls = settings.tls() == null ? null : settings.tls().getSocketFactory();
    }

    /**
     * POSTs {@code body} and reads at most {@code maxResponseBytes} of the answer; throws
     * {@link IOException} when the server cannot be reached, the connection breaks or the exchange
     * does not end within the timeout. Any HTTP status is returned, not thrown.
     */
    public Response post(URI uri, String contentType, byte[] body, Map<String, String> headers, int maxResponseBytes)
            throws IOException {
        return send("POST", uri, contentType, body, headers, maxResponseBytes);
    }

    /** As {@link #post}, with another method (e.g. {@code PUT}). */
    public Response send(
            String method, URI uri, String contentType, byte[] body, Map<String, String> headers, int maxResponseBytes)
            throws IOException {
        return exchange(method, uri, contentType, body, headers, maxResponseBytes, settings.timeout());
    }

    /**
     * GETs {@code uri} within {@code timeout} instead of the sink's (a start-up check has a shorter deadline than a
     * push); otherwise as {@link #post}: same auth, TLS and kept-alive connections.
     */
    public Response get(URI uri, Map<String, String> headers, int maxResponseBytes, Duration timeout)
            throws IOException {
        return exchange("GET", uri, null, null, headers, maxResponseBytes, timeout);
    }

    /** One exchange; a null {@code body} sends none (a GET with output enabled would become a POST). */
    private Response exchange(
            String method,
            URI uri,
            String contentType,
            byte[] body,
            Map<String, String> headers,
            int maxResponseBytes,
            Duration timeout)
            throws IOException {
        String authorization = settings.auth().authorizationHeader();
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpURLConnection connection = open(uri, timeout);
        connection.setRequestMethod(method);
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", contentType);
        }
        headers.forEach(connection::setRequestProperty);
        if (authorization != null) {
            connection.setRequestProperty("Authorization", authorization);
        }
        Watch watch = new Watch(connection, Thread.currentThread(), deadline);
        int status;
        Map<String, List<String>> answerHeaders;
        InputStream in;
        byte[] answer;
        boolean complete;
        try {
            if (body != null) {
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            status = connection.getResponseCode();
            in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            answerHeaders = headersOf(connection);
            answer = in == null ? new byte[0] : in.readNBytes(maxResponseBytes);
            complete = in == null || in.read() < 0;
        } catch (IOException e) {
            connection.disconnect();
            // a socket timeout (connect, or a read that waited the whole timeout) is the deadline too
            throw watch.closedTheConnection() || e instanceof SocketTimeoutException ? watch.ended(uri, timeout, e) : e;
        } finally {
            watch.stop(); // after an unexpected RuntimeException too: no check left behind
        }
        if (watch.closedTheConnection()) { // at the deadline, just as the answer ended
            throw watch.ended(uri, timeout, null);
        }
        if (!complete) {
            connection.disconnect(); // the rest is not read: the connection cannot be reused
        } else if (in != null) {
            finish(in, connection);
        }
        return new Response(status, answerHeaders, answer, complete);
    }

    /** An answer read to its end: closing it leaves the connection for the next push. */
    private static void finish(InputStream in, HttpURLConnection connection) {
        try {
            in.close();
        } catch (IOException e) {
            connection.disconnect(); // the answer is complete; only the connection is not kept
        }
    }

    private HttpURLConnection open(URI uri, Duration timeout) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        if (tls != null && "https".equalsIgnoreCase(uri.getScheme())) {
            ((HttpsURLConnection) connection).setSSLSocketFactory(tls);
        }
        int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        connection.setConnectTimeout(timeoutMillis);
        connection.setReadTimeout(timeoutMillis);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setAuthenticator(NO_CREDENTIALS);
        return connection;
    }

    /** The answer's headers, names compared ignoring case (the status line, which has no name, left out). */
    private static Map<String, List<String>> headersOf(HttpURLConnection connection) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        connection.getHeaderFields().forEach((name, values) -> {
            if (name != null) {
                headers.put(name, values);
            }
        });
        return Collections.unmodifiableMap(headers);
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "sightline-http-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        watchdog.setRemoveOnCancelPolicy(true);
        return watchdog;
    }

    /**
     * Closes an exchange's connection at its deadline, or sooner when its caller is interrupted; the blocked read or
     * write then fails and {@link #ended} says why.
     */
    private static final class Watch implements Runnable {
        private final HttpURLConnection connection;
        private final Thread caller;
        private final long deadline;
        private ScheduledFuture<?> check;
        private boolean done;
        private boolean closed;
        private boolean interrupted;

        Watch(HttpURLConnection connection, Thread caller, long deadline) {
            this.connection = connection;
            this.caller = caller;
            this.deadline = deadline;
            synchronized (this) {
                schedule();
            }
        }

        @Override
        public void run() {
            synchronized (this) {
                if (done) {
                    return;
                }
                interrupted = caller.isInterrupted();
                if (!interrupted && deadline - System.nanoTime() > 0) {
                    schedule();
                    return;
                }
                done = true;
                closed = true;
            }
            connection.disconnect(); // outside the lock: the caller may be inside the connection's own
        }

        private void schedule() {
            long wait = Math.min(INTERRUPT_CHECK_NANOS, deadline - System.nanoTime());
            check = WATCHDOG.schedule(this, wait, TimeUnit.NANOSECONDS);
        }

        /** Ends the watch (again: no effect). */
        synchronized void stop() {
            if (!done) {
                done = true;
                check.cancel(false);
            }
        }

        /** Whether the watch ended the exchange: deadline met or caller interrupted. */
        synchronized boolean closedTheConnection() {
            return closed;
        }

        IOException ended(URI uri, Duration timeout, IOException cause) {
            IOException ended = interrupted
                    ? new InterruptedIOException("interrupted while sending to " + uri)
                    : new HttpTimeoutException("no complete answer from " + uri + " within " + timeout);
            if (cause != null) {
                ended.initCause(cause);
            }
            return ended;
        }
    }
}
