package io.sightline.local.traffic;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Where the generator's requests go and how it counts them, against real HTTP servers on 127.0.0.1. */
class TrafficGeneratorTest {

    private final List<HttpServer> servers = new ArrayList<>();

    /** A links API stand-in answering every request with {@code status}, counting them. */
    private URI server(int status, AtomicInteger requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/users/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void spreadsRequestsEvenlyAndSendsNothingToTheCanaryOutsideTheBurst() throws Exception {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        AtomicInteger canary = new AtomicInteger();
        TrafficGenerator traffic = new TrafficGenerator(
                HttpClient.newHttpClient(),
                List.of(server(200, first), server(200, second)),
                server(500, canary),
                200,
                new TrafficGenerator.FailureBurst(Duration.ofHours(1), Duration.ofSeconds(10)));

        traffic.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> traffic.stats().sent() >= 100);
        traffic.close();

        TrafficStats stats = traffic.stats();
        assertThat(first.get() + second.get()).isEqualTo((int) (stats.sent() - stats.failed()));
        assertThat(Math.abs(first.get() - second.get())).isLessThanOrEqualTo(1);
        assertThat(canary.get()).isZero();
        assertThat(stats.burstSent()).isZero();
        assertThat(traffic.inBurst()).isFalse();
    }

    @Test
    void duringTheBurstHalfOfTheRequestsGoToTheCanaryAndItsErrorsAreCounted() throws Exception {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        AtomicInteger canary = new AtomicInteger();
        TrafficGenerator traffic = new TrafficGenerator(
                HttpClient.newHttpClient(),
                List.of(server(200, first), server(200, second)),
                server(500, canary),
                200,
                new TrafficGenerator.FailureBurst(Duration.ZERO, Duration.ofHours(1)));

        traffic.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> traffic.stats().sent() >= 100);
        traffic.close();

        TrafficStats stats = traffic.stats();
        assertThat(traffic.inBurst()).isTrue();
        assertThat(canary.get()).isEqualTo((int) stats.burstSent()).isEqualTo((int) stats.burstFailed());
        assertThat(stats.failed()).isEqualTo(stats.burstFailed());
        assertThat(Math.abs(canary.get() - (first.get() + second.get()))).isLessThanOrEqualTo(1);
        assertThat(Math.abs(first.get() - second.get())).isLessThanOrEqualTo(1);
    }

    @Test
    void requestsWithoutAnAnswerCountAsFailed() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        TrafficGenerator traffic = new TrafficGenerator(
                HttpClient.newHttpClient(),
                List.of(URI.create("http://127.0.0.1:" + closedPort)),
                null,
                100,
                new TrafficGenerator.FailureBurst(Duration.ZERO, Duration.ofHours(1)));

        traffic.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> traffic.stats().failed() >= 10);
        traffic.close();

        assertThat(traffic.inBurst()).as("no canary, no burst").isFalse();
        assertThat(traffic.stats().failed()).isEqualTo(traffic.stats().sent());
    }
}
