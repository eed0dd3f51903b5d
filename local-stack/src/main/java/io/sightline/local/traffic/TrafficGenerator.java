package io.sightline.local.traffic;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.sightline.local.process.DaemonThreads;

/**
 * Sends the links API mix to the demo instances at a fixed, bounded rate, round robin. During the failure burst
 * every other request goes to the canary instead, an instance started with a high failure ratio (a bad release
 * taking traffic), so the error-ratio alerts have something real to fire on.
 */
public final class TrafficGenerator implements AutoCloseable {

    private static final int MAX_IN_FLIGHT = 32;
    private static final Duration SLOW_THRESHOLD = Duration.ofMillis(500);

    /** A window, relative to the start of the traffic, in which half of the requests go to the canary. */
    public record FailureBurst(Duration startsAfter, Duration length) {
        boolean covers(Duration sinceStart) {
            return sinceStart.compareTo(startsAfter) >= 0 && sinceStart.compareTo(startsAfter.plus(length)) < 0;
        }
    }

    private final HttpClient http;
    private final List<URI> instances;
    private final URI canary;
    private final LinksApiRequests requests = new LinksApiRequests();
    private final double requestsPerSecond;
    private final FailureBurst burst;
    private final ScheduledExecutorService ticker = DaemonThreads.scheduler("traffic-generator");
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Random random = new Random();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong slow = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong burstSent = new AtomicLong();
    private final AtomicLong burstFailed = new AtomicLong();
    private volatile Instant startedAt;
    private long tick;
    private long regularTick;

    /** @param canary the instance that takes half of the traffic during the burst; null = no burst */
    public TrafficGenerator(
            HttpClient http, List<URI> instances, URI canary, double requestsPerSecond, FailureBurst burst) {
        if (instances.isEmpty() || requestsPerSecond <= 0) {
            throw new IllegalArgumentException("traffic needs at least one instance and a rate above zero");
        }
        this.http = http;
        this.instances = List.copyOf(instances);
        this.canary = canary;
        this.requestsPerSecond = requestsPerSecond;
        this.burst = burst;
    }

    public void start() {
        startedAt = Instant.now();
        long periodMicros = Math.max(1, (long) (1_000_000 / requestsPerSecond));
        ticker.scheduleAtFixedRate(this::sendOne, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** When the failure burst begins (null before {@link #start()}). */
    public Instant burstStartsAt() {
        return startedAt == null ? null : startedAt.plus(burst.startsAfter());
    }

    public boolean inBurst() {
        return canary != null && startedAt != null && burst.covers(Duration.between(startedAt, Instant.now()));
    }

    public TrafficStats stats() {
        return new TrafficStats(
                sent.get(), failed.get(), slow.get(), skipped.get(), burstSent.get(), burstFailed.get());
    }

    private void sendOne() {
        if (!inFlight.tryAcquire()) {
            skipped.incrementAndGet();
            return;
        }
        boolean toCanary = tick++ % 2 == 0 && inBurst();
        URI instance = toCanary ? canary : instances.get((int) (regularTick++ % instances.size()));
        HttpRequest request = requests.next(instance, random);
        long startNanos = System.nanoTime();
        sent.incrementAndGet();
        if (toCanary) {
            burstSent.incrementAndGet();
        }
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            try {
                if (Duration.ofNanos(System.nanoTime() - startNanos).compareTo(SLOW_THRESHOLD) > 0) {
                    slow.incrementAndGet();
                }
                if (error != null || response.statusCode() >= 500) {
                    failed.incrementAndGet();
                    if (toCanary) {
                        burstFailed.incrementAndGet();
                    }
                }
            } finally {
                // last, so the totals are final once close() has every permit back
                inFlight.release();
            }
        });
    }

    /** Stops sending and waits (bounded) for the requests still in flight, so their log lines are written. */
    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            if (inFlight.tryAcquire(MAX_IN_FLIGHT, 30, TimeUnit.SECONDS)) {
                inFlight.release(MAX_IN_FLIGHT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
