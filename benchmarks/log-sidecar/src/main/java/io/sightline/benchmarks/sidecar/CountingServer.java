package io.sightline.benchmarks.sidecar;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Loki push endpoint on 127.0.0.1 that only counts: requests, body bytes, and for JSON bodies the
 * entries (each {@code ["<ns>","<line>"...]} pair of a {@code values} array). Answers 204 like Loki.
 */
final class CountingServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong jsonEntries = new AtomicLong();
    private volatile long firstRequestNanos;

    CountingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/loki/api/v1/push", this::push);
        executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "counting-server");
            thread.setDaemon(true); // exec:java waits for non-daemon threads before it returns
            return thread;
        });
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long requests() {
        return requests.get();
    }

    long bytes() {
        return bytes.get();
    }

    long jsonEntries() {
        return jsonEntries.get();
    }

    long firstRequestNanos() {
        return firstRequestNanos;
    }

    private void push(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream body = exchange.getRequestBody()) {
            if (requests.getAndIncrement() == 0) {
                firstRequestNanos = System.nanoTime();
            }
            byte[] content = body.readAllBytes();
            bytes.addAndGet(content.length);
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type != null && type.contains("json")) {
                jsonEntries.addAndGet(countEntries(content));
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** Entries start with {@code ["} and a digit (the timestamp); the benchmark's lines contain no arrays. */
    static long countEntries(byte[] body) {
        long count = 0;
        for (int i = 0; i + 2 < body.length; i++) {
            if (body[i] == '[' && body[i + 1] == '"' && body[i + 2] >= '0' && body[i + 2] <= '9') {
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
