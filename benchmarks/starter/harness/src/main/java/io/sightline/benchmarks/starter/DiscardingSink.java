package io.sightline.benchmarks.starter;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * Accepts whatever is posted on 127.0.0.1 (OTLP/HTTP traces at {@code /v1/traces}, Sentry envelopes at
 * {@code /api/<project>/envelope/}), reads it and answers 200 with an empty JSON body, so exporters
 * behave as against a healthy collector. {@code java -cp harness.jar io.sightline.benchmarks.starter.DiscardingSink PORT}
 * runs until killed and prints the number of requests and bytes taken every 10 s.
 */
public final class DiscardingSink {

    private DiscardingSink() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        AtomicLong requests = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                bytes.addAndGet(body.transferTo(java.io.OutputStream.nullOutputStream()));
            }
            requests.incrementAndGet();
            byte[] answer = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        while (true) {
            Thread.sleep(10_000);
            System.out.println("requests=" + requests.get() + " bytes=" + bytes.get());
        }
    }
}
