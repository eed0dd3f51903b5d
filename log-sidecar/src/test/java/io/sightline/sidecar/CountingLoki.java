package io.sightline.sidecar;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A counting stand-in for Loki's push endpoint on 127.0.0.1, for the delivery tests: it takes the
 * JSON push format ({@code LOKI_FORMAT=json}), counts each entry's line, and answers as told
 * (204, or an error status with an optional {@code Retry-After}). It is not a Loki fake: the
 * protocol rules are enforced by the sink's own fake (FakeLoki); this one only counts what arrived,
 * which is what loss and duplicate checks need. Lines are counted only on a 2xx answer.
 */
final class CountingLoki implements AutoCloseable {

    record Answer(int status, String retryAfter) {
        static final Answer OK = new Answer(204, null);
    }

    /** When an error status was answered. */
    record ErrorAnswer(int status, long nanos) {}

    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, AtomicInteger> lines = new ConcurrentHashMap<>();
    private final AtomicInteger entries = new AtomicInteger();
    private final List<ErrorAnswer> errorAnswers = new CopyOnWriteArrayList<>();
    private final AtomicInteger pushes = new AtomicInteger();
    private volatile Answer answer = Answer.OK;
    private HttpServer server;
    private int port;

    CountingLoki start() throws IOException {
        return startOn(0);
    }

    /** (Re)starts on {@code port} (0 = any free port), e.g. after {@link #stop} simulated refused connections. */
    CountingLoki startOn(int wantedPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 64);
        server.createContext("/loki/api/v1/push", this::push);
        server.start();
        port = server.getAddress().getPort();
        return this;
    }

    void stop() {
        server.stop(0);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    void answer(Answer next) {
        answer = next;
    }

    int entries() {
        return entries.get();
    }

    int pushes() {
        return pushes.get();
    }

    Map<String, AtomicInteger> lines() {
        return lines;
    }

    List<ErrorAnswer> errorAnswers() {
        return errorAnswers;
    }

    private void push(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream body = exchange.getRequestBody()) {
            byte[] bytes = body.readAllBytes();
            pushes.incrementAndGet();
            Answer current = answer;
            if (current.status() / 100 != 2) {
                errorAnswers.add(new ErrorAnswer(current.status(), System.nanoTime()));
                if (current.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After", current.retryAfter());
                }
                exchange.sendResponseHeaders(current.status(), -1);
                return;
            }
            count(bytes);
            exchange.sendResponseHeaders(current.status(), -1);
        }
    }

    /** Walks {"streams":[{"stream":{..},"values":[["ts","line",{..}], ...]}]} and counts each line. */
    private void count(byte[] body) throws IOException {
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME && "values".equals(parser.currentName())) {
                    parser.nextToken(); // [
                    while (parser.nextToken() == JsonToken.START_ARRAY) {
                        parser.nextToken(); // timestamp
                        parser.nextToken(); // line
                        lines.computeIfAbsent(parser.getText(), k -> new AtomicInteger())
                                .incrementAndGet();
                        entries.incrementAndGet();
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            parser.skipChildren();
                        }
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
