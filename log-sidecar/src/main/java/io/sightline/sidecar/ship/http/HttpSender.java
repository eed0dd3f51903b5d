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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one request for a sink (a POST of a batch, mostly): HTTP/1.1 (no h2c upgrade round trip), TLS trusting the configured CA
 * file when there is one (host names are still verified), and the {@code Authorization} header
 * re-read from its file on every request. One attempt, no retries: that is the delivery stage's job.
 * <p>The timeout is a deadline for the whole exchange, from connecting to the last byte of the
 * answer: the JDK client's own request timeout ends when the headers arrive, so a server that
 * trickles its body would otherwise hold the sender for as long as it likes. The body is read up to
 * a size bound; the rest is not read.
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

    private final HttpSettings settings;
    private final HttpClient client;

    public HttpSender(HttpSettings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.tls() != null) {
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
        CompletableFuture<HttpResponse<byte[]>> exchange =
                client.sendAsync(request.build(), info -> new BoundedBody(maxResponseBytes));
        try {
            HttpResponse<byte[]> response = exchange.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
            byte[] answer = response.body();
            return new Response(response.statusCode(), response.headers(), answer, answer.length < maxResponseBytes);
        } catch (TimeoutException e) {
            exchange.cancel(true); // aborts the exchange and closes its connection
            throw new HttpTimeoutException("no complete answer from " + uri + " within " + settings.timeout());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("sending to " + uri + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending to " + uri);
        }
    }

    /** Collects a response body up to {@code limit} bytes, then stops reading (the connection is closed). */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private byte[] bytes = new byte[0];
        private int length;
        private Flow.Subscription subscription;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
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
                result.complete(Arrays.copyOf(bytes, length));
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(Arrays.copyOf(bytes, length));
        }
    }
}
