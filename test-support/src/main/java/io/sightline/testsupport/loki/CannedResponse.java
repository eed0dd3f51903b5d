package io.sightline.testsupport.loki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/** A status, headers and a plain-text body (none when empty, as Loki's 204 has none). */
public record CannedResponse(int status, Map<String, String> headers, String body) implements Response {

    public CannedResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new CannedResponse(status, Map.copyOf(more), body);
    }

    public CannedResponse withBody(String text) {
        return new CannedResponse(status, headers, text);
    }

    @Override
    public void send(HttpExchange exchange) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
