package io.sightline.benchmarks.starter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends GET requests at a fixed rate, open loop, and prints latency percentiles measured from each
 * request's scheduled start, as wrk2 does: a request that had to wait for a slow predecessor on its
 * connection counts that wait, so a stall is not hidden by the client slowing down (no coordinated
 * omission). wrk itself has no rate option.
 * <p>
 * {@code java -cp harness.jar io.sightline.benchmarks.starter.FixedRateLoad URL RATE SECONDS CONNECTIONS [WARMUP]}
 * prints one line: {@code requests=… errors=… unmeasured=… p50_ms=… p90_ms=… p99_ms=… p999_ms=… max_ms=…}. Each of
 * the CONNECTIONS threads owns every CONNECTIONS-th slot of the schedule and one keep-alive connection.
 * <p>
 * What a cold client costs is left out of the figures, since it is not the server's latency: each connection
 * first sends one request outside the schedule (connection set-up, the HTTP client's class loading), the
 * schedule starts once every connection has done so, and its first WARMUP seconds (default 5) are sent at the
 * same rate but not measured (the client's JIT and first GCs at a small heap). Without this, p99 at 200
 * requests/s was about 270 ms against every variant, including the bare application whose p50 was 1.8 ms.
 */
public final class FixedRateLoad {

    private static final long DEFAULT_WARMUP_SECONDS = 5;

    private FixedRateLoad() {}

    /** Latencies in nanoseconds, sorted; failed requests; requests sent and not measured (priming, warm-up). */
    record Result(long[] sorted, long errors, long unmeasured) {

        long requests() {
            return this.sorted.length;
        }

        double percentileMillis(double quantile) {
            if (this.sorted.length == 0) {
                return 0.0;
            }
            int index = (int) Math.min(this.sorted.length - 1, Math.ceil(quantile * this.sorted.length) - 1);
            return this.sorted[Math.max(0, index)] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        Result result = run(
                URI.create(args[0]),
                Double.parseDouble(args[1]),
                Long.parseLong(args[2]),
                Integer.parseInt(args[3]),
                (args.length > 4) ? Long.parseLong(args[4]) : DEFAULT_WARMUP_SECONDS);
        System.out.printf(
                "requests=%d errors=%d unmeasured=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f%n",
                result.requests(),
                result.errors(),
                result.unmeasured(),
                result.percentileMillis(0.50),
                result.percentileMillis(0.90),
                result.percentileMillis(0.99),
                result.percentileMillis(0.999),
                result.percentileMillis(1.0));
    }

    static Result run(URI uri, double rate, long seconds, int connections, long warmupSeconds)
            throws InterruptedException {
        long periodNanos = (long) (1e9 / rate);
        long unmeasured = (long) (rate * warmupSeconds);
        long slots = unmeasured + (long) (rate * seconds);
        AtomicLong errors = new AtomicLong();
        // Starts the schedule once every connection has sent its priming request.
        AtomicLong start = new AtomicLong();
        CyclicBarrier primed = new CyclicBarrier(connections, () -> start.set(System.nanoTime() + 100_000_000L));
        List<long[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            Connection connection = new Connection(uri, t, connections, new long[(int) (slots / connections + 1)]);
            perThread.add(connection.latencies());
            Thread thread = new Thread(() -> {
                try {
                    connection.prime(errors);
                    primed.await();
                } catch (InterruptedException | BrokenBarrierException ex) {
                    return;
                }
                connection.send(start.get(), periodNanos, unmeasured, slots, errors);
            });
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long[] all = perThread.stream()
                .flatMapToLong(Arrays::stream)
                .filter(l -> l > 0)
                .sorted()
                .toArray();
        return new Result(all, errors.get(), connections + unmeasured);
    }

    /** One keep-alive connection (one client), owning every {@code stride}-th slot from {@code first}. */
    private record Connection(HttpClient client, HttpRequest request, int first, int stride, long[] latencies) {

        Connection(URI uri, int first, int stride, long[] latencies) {
            this(
                    HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(5))
                            .build(),
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    first,
                    stride,
                    latencies);
        }

        /** One request outside the schedule: connection set-up and the client's first-use costs. */
        void prime(AtomicLong errors) {
            get(errors);
        }

        /** Sends this connection's slots; records the latency of those from {@code unmeasured} on. */
        void send(long start, long periodNanos, long unmeasured, long slots, AtomicLong errors) {
            int count = 0;
            for (long slot = this.first; slot < slots; slot += this.stride) {
                long scheduled = start + slot * periodNanos;
                long wait;
                while ((wait = scheduled - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                get(errors); // failures count in the warm-up too
                if (slot >= unmeasured) {
                    this.latencies[count++] = Math.max(1, System.nanoTime() - scheduled);
                }
            }
        }

        private void get(AtomicLong errors) {
            try {
                HttpResponse<Void> response = this.client.send(this.request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 200) {
                    errors.incrementAndGet();
                }
            } catch (Exception ex) {
                errors.incrementAndGet();
            }
        }
    }
}
