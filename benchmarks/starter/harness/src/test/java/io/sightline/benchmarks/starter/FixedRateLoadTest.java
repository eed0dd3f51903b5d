package io.sightline.benchmarks.starter;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixed-rate client against a real HTTP server on 127.0.0.1 (the JDK's), which stalls the first request
 * of each connection (the first {@value #CONNECTIONS} it receives, one per client): a stand-in for what a
 * cold client costs (its class loading, JIT and connection set-up in the first second), which is not the
 * server's latency and must not be in the figures.
 */
class FixedRateLoadTest {

    private static final long FIRST_REQUEST_STALL_MILLIS = 3_000;

    private static final int CONNECTIONS = 4;

    private final ExecutorService executor = Executors.newFixedThreadPool(8);

    private HttpServer server;

    @AfterEach
    void stop() {
        if (this.server != null) {
            this.server.stop(0);
        }
        this.executor.shutdownNow();
    }

    @Test
    void aSlowFirstRequestPerConnectionIsNotMeasured() throws Exception {
        URI uri = serverStallingFirstRequests();

        FixedRateLoad.Result result = FixedRateLoad.run(uri, 40, 2, CONNECTIONS, 1);

        assertThat(result.errors()).isZero();
        // Before: each connection's first scheduled request waited for the stall, and those queued behind it
        // too, so p99 was above the stall.
        assertThat(result.percentileMillis(0.99)).isLessThan(FIRST_REQUEST_STALL_MILLIS / 2.0);
    }

    @Test
    void onlyTheMeasuredSlotsAreCounted() throws Exception {
        URI uri = serverStallingFirstRequests();

        FixedRateLoad.Result result = FixedRateLoad.run(uri, 40, 2, CONNECTIONS, 1);

        // 40 requests/s for 2 s measured; the 40 of the 1 s warm-up and the 4 priming requests are not counted.
        assertThat(result.requests()).isEqualTo(80);
        assertThat(result.unmeasured()).isEqualTo(44);
    }

    private URI serverStallingFirstRequests() throws Exception {
        AtomicInteger received = new AtomicInteger();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.server.setExecutor(this.executor);
        this.server.createContext("/", exchange -> {
            if (received.incrementAndGet() <= CONNECTIONS) {
                try {
                    Thread.sleep(FIRST_REQUEST_STALL_MILLIS); // the stall under test, not synchronisation
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        this.server.start();
        return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/");
    }
}
