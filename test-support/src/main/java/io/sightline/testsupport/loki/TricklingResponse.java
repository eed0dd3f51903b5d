package io.sightline.testsupport.loki;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;

/** See {@link Response#trickle}: the body is written one byte at a time until it is complete or the client left. */
record TricklingResponse(int status, long length, Duration interval) implements Response {

    @Override
    public void send(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, length);
        OutputStream body = exchange.getResponseBody();
        try {
            for (long i = 0; i < length; i++) {
                body.write('.');
                body.flush();
                // the pace of the misbehaving server, not a wait for a condition
                TimeUnit.NANOSECONDS.sleep(interval.toNanos());
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt(); // the fake is stopping
        }
    }
}
