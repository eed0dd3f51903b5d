package io.sightline.local.parts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Loki on 127.0.0.1 that only answers {@code /ready} with 200, as a ready Loki does: enough for the parts that
 * check the store before they start their shippers; nothing is pushed to it in the tests that use it. Register it
 * with {@code @RegisterExtension}; it stops after each test.
 */
final class ReadyLoki implements AfterEachCallback {

    private HttpServer server;

    /** Starts the server (once per test) and gives its base URL. */
    String start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }
}
