package io.sightline.telemetry.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 that records every request (path, headers, body; gzip bodies
 * decoded) and answers {@code 200 {}}, the way an OTLP collector or a Sentry relay accepts data.
 */
public final class LocalHttpReceiver implements AutoCloseable {

    public record Received(String method, String path, String contentType, byte[] body) {}

    private final HttpServer server;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    private final List<Received> received = new CopyOnWriteArrayList<>();

    public LocalHttpReceiver() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.server.createContext("/", this::handle);
        this.server.setExecutor(this.executor);
        this.server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            this.received.add(new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body.readAllBytes()));
            byte[] answer = "{}".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + this.server.getAddress().getPort();
    }

    public int port() {
        return this.server.getAddress().getPort();
    }

    public List<Received> received() {
        return List.copyOf(this.received);
    }

    @Override
    public void close() {
        this.server.stop(0);
        this.executor.shutdownNow();
    }
}
