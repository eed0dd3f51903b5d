package io.sightline.local.alerts;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sightline.local.http.JsonHttp;

/**
 * The receiver of the local Alertmanager's webhook (payload version 4), served on 127.0.0.1, so the launcher
 * can show and check which alerts reached the end of the alerting path. Payloads it cannot read are answered
 * with 400 and counted, never dropped silently.
 */
public final class AlertWebhookReceiver implements AutoCloseable {

    static final String PATH = "/alertmanager/webhook";
    private static final int MAX_PAYLOAD_BYTES = 1 << 20;

    /** One alert as delivered in a notification. */
    public record ReceivedAlert(
            String name, String status, Instant startsAt, Map<String, String> labels, Instant receivedAt) {}

    private final HttpServer server;
    private final List<ReceivedAlert> received = new ArrayList<>();
    private final Map<String, ReceivedAlert> latestByFingerprint = new LinkedHashMap<>();
    private final AtomicLong notifications = new AtomicLong();
    private final AtomicLong rejectedPayloads = new AtomicLong();

    public AlertWebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(PATH, this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    public long notifications() {
        return notifications.get();
    }

    public long rejectedPayloads() {
        return rejectedPayloads.get();
    }

    public synchronized List<ReceivedAlert> received() {
        return List.copyOf(received);
    }

    /** Names of the alerts whose latest notification said {@code firing}. */
    public synchronized List<String> firing() {
        return latestByFingerprint.values().stream()
                .filter(a -> "firing".equals(a.status()))
                .map(ReceivedAlert::name)
                .distinct()
                .sorted()
                .toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            try (InputStream body = exchange.getRequestBody()) {
                byte[] payload = body.readNBytes(MAX_PAYLOAD_BYTES + 1);
                if (payload.length > MAX_PAYLOAD_BYTES) {
                    throw new IOException("payload larger than " + MAX_PAYLOAD_BYTES + " bytes");
                }
                accept(JsonHttp.parse(new String(payload, java.nio.charset.StandardCharsets.UTF_8)));
            } catch (IOException | DateTimeParseException e) {
                rejectedPayloads.incrementAndGet();
                System.err.println("sightline local: unreadable Alertmanager webhook payload: " + e.getMessage());
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private synchronized void accept(JsonNode payload) throws IOException {
        if (!payload.path("alerts").isArray()) {
            throw new IOException("no 'alerts' array (is this an Alertmanager webhook payload?)");
        }
        Instant now = Instant.now();
        for (JsonNode alert : payload.path("alerts")) {
            Map<String, String> labels = new LinkedHashMap<>();
            alert.path("labels")
                    .fields()
                    .forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
            String startsAt = alert.path("startsAt").asText("");
            ReceivedAlert receivedAlert = new ReceivedAlert(
                    labels.getOrDefault("alertname", "?"),
                    alert.path("status").asText("unknown"),
                    startsAt.isEmpty() ? null : Instant.parse(startsAt),
                    labels,
                    now);
            received.add(receivedAlert);
            latestByFingerprint.put(alert.path("fingerprint").asText(labels.toString()), receivedAlert);
        }
        notifications.incrementAndGet();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
