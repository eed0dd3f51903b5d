package io.sightline.sidecar.ship.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;

/**
 * Sends one request for a sink (a POST of a batch, mostly): HTTP/1.1 (no h2c upgrade round trip), TLS trusting the configured CA
 * file when there is one (host names are still verified) and no TLS set-up at all for an {@code http://} destination, and the {@code Authorization} header
 * re-read from its file on every request. One attempt, no retries: that is the delivery stage's job.
 * <p>The timeout is a deadline for the whole exchange, from connecting to the last byte of the
 * answer: the JDK client's own request timeout ends when the headers arrive, so a server that
 * trickles its body would otherwise hold the sender for as long as it likes; the body's reader ends
 * the exchange at the deadline. The body is read up to a size bound; the rest is not read.
 * <p>The exchange is the client's synchronous {@code send}: {@code sendAsync} hands every answer to
 * CompletableFuture's default async pool, which at common-pool parallelism 1 (two CPUs or fewer, most
 * sidecars under a CPU limit) starts a new thread per task, i.e. one per push.
 */
public final class HttpSender {

    /**
     * What a sink needs of an answer: status, headers, and the body up to the bound ({@code complete}
     * false when there was more).
     */
    public record Response(int status, HttpHeaders headers, byte[] body, boolean complete) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** One thread for every sender's body deadlines; a deadline met is removed at once. */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private final HttpSettings settings;
    private final HttpClient client;

    public HttpSender(HttpSettings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (!"https".equalsIgnoreCase(settings.baseUrl().getScheme())) {
            // with both given, the client touches no TLS class until an https:// exchange (there is none: redirects
            // are not followed, every URI is the base URL's)
            builder.sslContext(NoTls.CONTEXT).sslParameters(new SSLParameters());
        } else if (settings.tls() != null) {
            builder.sslContext(settings.tls());
        }
        this.client = builder.build();
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
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        String authorization = settings.auth().authorizationHeader();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        try {
            HttpResponse<byte[]> response =
                    client.send(request.build(), info -> new BoundedBody(maxResponseBytes, deadline));
            byte[] answer = response.body();
            return new Response(response.statusCode(), response.headers(), answer, answer.length < maxResponseBytes);
        } catch (HttpTimeoutException e) {
            HttpTimeoutException timeout =
                    new HttpTimeoutException("no complete answer from " + uri + " within " + settings.timeout());
            timeout.initCause(e);
            throw timeout;
        } catch (InterruptedException e) { // the client has cancelled the exchange
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending to " + uri);
        }
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "sightline-http-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        deadlines.setRemoveOnCancelPolicy(true);
        return deadlines;
    }

    /**
     * Collects a response body up to {@code limit} bytes, then stops reading (the connection is closed). At the
     * {@code deadline} ({@link System#nanoTime()}) it stops reading too, and the exchange fails with an
     * {@link HttpTimeoutException}.
     */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final long deadline;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private byte[] bytes = new byte[0];
        private int length;
        private Flow.Subscription subscription;
        private ScheduledFuture<?> expiry;

        BoundedBody(int limit, long deadline) {
            this.limit = limit;
            this.deadline = deadline;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            expiry = DEADLINES.schedule(this::expire, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            subscription.request(1);
        }

        /** On the deadline thread; {@code synchronized} so that the subscription is never called from two threads at once. */
        private synchronized void expire() {
            if (result.completeExceptionally(new HttpTimeoutException("the answer did not end by the deadline"))) {
                subscription.cancel();
            }
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return; // expired: the subscription is cancelled
            }
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), limit - length);
                if (length + take > bytes.length) {
                    bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(2 * bytes.length, length + take)));
                }
                buffer.get(bytes, length, take);
                length += take;
            }
            if (length >= limit) {
                subscription.cancel();
                finish(Arrays.copyOf(bytes, length));
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            expiry.cancel(false);
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            finish(Arrays.copyOf(bytes, length));
        }

        private void finish(byte[] body) {
            expiry.cancel(false);
            result.complete(body);
        }
    }
}
