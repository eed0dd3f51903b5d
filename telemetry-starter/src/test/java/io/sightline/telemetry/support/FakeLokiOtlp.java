package io.sightline.telemetry.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;

/**
 * A stand-in for Loki's OTLP logs endpoint, on 127.0.0.1, where Loki itself cannot run. It answers as Loki's
 * distributor does ({@code pkg/distributor/http.go}, {@code pkg/loghttp/push/otlp.go}): {@code POST
 * /otlp/v1/logs} with an {@code application/x-protobuf} body, gzip-decoded when {@code Content-Encoding: gzip};
 * {@code 204 No Content} once the records are stored; {@code 400} with the reason as text for a body that does
 * not parse or a content type it does not take (unlike Loki it does not decode {@code application/json}: the
 * exporter under test sends protobuf); {@code 404} for any other path. It can be switched to what a failing
 * Loki does: {@code 503} (Loki's answer to OTLP clients when its ingesters fail) or holding requests
 * unanswered (an overloaded Loki).
 */
public final class FakeLokiOtlp implements AutoCloseable {

    public static final String PATH = "/otlp/v1/logs";

    /** How the endpoint answers. */
    public enum Mode {
        /** Stores the records, 204. */
        ACCEPT,
        /** 503, nothing stored. */
        UNAVAILABLE,
        /** Answers nothing until {@link #release()} (then stores and answers 204). */
        HOLD
    }

    /** One record as Loki receives it: the resource's attributes and the record itself. */
    public record Received(Map<String, String> resource, String scope, LogRecord record) {

        public String body() {
            return this.record.getBody().getStringValue();
        }

        public Map<String, String> attributes() {
            return strings(this.record.getAttributesList());
        }
    }

    /** One push: its headers and how it was answered. */
    public record Push(String contentType, String contentEncoding, int status) {}

    private final HttpServer server;

    private final ExecutorService executor = Executors.newCachedThreadPool();

    private final List<Received> received = new CopyOnWriteArrayList<>();

    private final List<Push> pushes = new CopyOnWriteArrayList<>();

    private final AtomicInteger held = new AtomicInteger();

    private final CountDownLatch released = new CountDownLatch(1);

    private volatile Mode mode = Mode.ACCEPT;

    public FakeLokiOtlp() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.server.createContext("/", this::handle);
        this.server.setExecutor(this.executor);
        this.server.start();
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    /** Lets held requests (and later ones) through. */
    public void release() {
        this.mode = Mode.ACCEPT;
        this.released.countDown();
    }

    /** The endpoint URL to configure. */
    public String url() {
        return "http://127.0.0.1:" + this.server.getAddress().getPort() + PATH;
    }

    public List<Received> received() {
        return List.copyOf(this.received);
    }

    public List<Push> pushes() {
        return List.copyOf(this.pushes);
    }

    /** Requests waiting unanswered in {@link Mode#HOLD}. */
    public int held() {
        return this.held.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                answer(exchange, 404, "404 page not found\n");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, "method not allowed\n");
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            Mode current = this.mode;
            if (current == Mode.HOLD) {
                hold();
            }
            if (current == Mode.UNAVAILABLE) {
                exchange.getRequestBody().readAllBytes();
                answer(exchange, 503, "rpc error: code = Unavailable desc = no ingesters available\n");
                this.pushes.add(new Push(contentType, encoding, 503));
                return;
            }
            if (!"application/x-protobuf".equals(contentType)) {
                answer(exchange, 400, "content type: " + contentType + " is not supported\n");
                this.pushes.add(new Push(contentType, encoding, 400));
                return;
            }
            InputStream body = exchange.getRequestBody();
            if ("gzip".equals(encoding)) {
                body = new GZIPInputStream(body);
            }
            ExportLogsServiceRequest request;
            try {
                request = ExportLogsServiceRequest.parseFrom(body.readAllBytes());
            } catch (InvalidProtocolBufferException ex) {
                answer(exchange, 400, ex.getMessage() + "\n");
                this.pushes.add(new Push(contentType, encoding, 400));
                return;
            }
            store(request);
            this.pushes.add(new Push(contentType, encoding, 204));
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private void hold() {
        this.held.incrementAndGet();
        try {
            this.released.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            this.held.decrementAndGet();
        }
    }

    private void store(ExportLogsServiceRequest request) {
        List<Received> records = new ArrayList<>();
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            Map<String, String> resource = strings(resourceLogs.getResource().getAttributesList());
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                for (LogRecord record : scopeLogs.getLogRecordsList()) {
                    records.add(new Received(resource, scopeLogs.getScope().getName(), record));
                }
            }
        }
        this.received.addAll(records);
    }

    private static Map<String, String> strings(List<KeyValue> attributes) {
        Map<String, String> values = new LinkedHashMap<>();
        for (KeyValue attribute : attributes) {
            values.put(attribute.getKey(), attribute.getValue().getStringValue());
        }
        return values;
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        this.released.countDown();
        this.server.stop(0);
        this.executor.shutdownNow();
    }
}
