package io.sightline.sidecar.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code /metrics}, {@code /healthz} (the process serves requests) and {@code /readyz} (the sink
 * can be used: not unreachable, and not refusing our credentials or address, for the ready window) on the management port (9095), apart from any application port.
 * The JDK's own HTTP server: one small thread, no extra dependency.
 */
public final class ManagementServer implements AutoCloseable {

    private final HttpServer server;

    public ManagementServer(String address, int port, PrometheusRegistry registry, Supplier<String> notReadyReason)
            throws IOException {
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        server = HttpServer.create(new InetSocketAddress(address, port), 16);
        server.createContext("/metrics", exchange -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
            writer.write(body, registry.scrape());
            respond(exchange, 200, writer.getContentType(), body.toByteArray());
        });
        server.createContext("/healthz", exchange -> respondText(exchange, 200, "ok\n"));
        server.createContext("/readyz", exchange -> {
            String reason = notReadyReason.get();
            respondText(exchange, reason == null ? 200 : 503, reason == null ? "ready\n" : reason + "\n");
        });
        server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sidecar-management");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respondText(HttpExchange exchange, int status, String text) throws IOException {
        respond(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
