package io.sightline.sidecar.ship.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Sends one POST for a sink: HTTP/1.1 (no h2c upgrade round trip), TLS trusting the configured CA
 * file when there is one (host names are still verified), and the {@code Authorization} header
 * re-read from its file on every request. One attempt, no retries: that is the delivery stage's job.
 */
public final class HttpSender {

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
     * POSTs {@code body}; throws {@link IOException} when the server cannot be reached, the connection
     * breaks or the request times out. Any HTTP status is returned, not thrown.
     */
    public HttpResponse<byte[]> post(URI uri, String contentType, byte[] body, Map<String, String> headers)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        String authorization = settings.auth().authorizationHeader();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending to " + uri);
        }
    }
}
