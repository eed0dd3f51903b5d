package io.sightline.benchmarks.starter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends GET requests at a fixed rate, open loop, and prints latency percentiles measured from each
 * request's scheduled start, as wrk2 does: a request that had to wait for a slow predecessor on its
 * connection counts that wait, so a stall is not hidden by the client slowing down (no coordinated
 * omission). wrk itself has no rate option.
 * <p>
 * {@code java -cp harness.jar io.sightline.benchmarks.starter.FixedRateLoad URL RATE SECONDS CONNECTIONS}
 * prints one line: {@code requests=… errors=… p50_ms=… p90_ms=… p99_ms=… p999_ms=… max_ms=…}. Each of
 * the CONNECTIONS threads owns every CONNECTIONS-th slot of the schedule and one keep-alive connection.
 */
public final class FixedRateLoad {

    private FixedRateLoad() {}

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        double rate = Double.parseDouble(args[1]);
        long seconds = Long.parseLong(args[2]);
        int connections = Integer.parseInt(args[3]);
        long periodNanos = (long) (1e9 / rate);
        long slots = (long) (rate * seconds);
        long start = System.nanoTime() + 100_000_000L;
        AtomicLong errors = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            int first = t;
            long[] latencies = new long[(int) (slots / connections + 1)];
            perThread.add(latencies);
            Thread thread =
                    new Thread(() -> run(uri, start, periodNanos, slots, first, connections, latencies, errors));
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
        System.out.printf(
                "requests=%d errors=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f%n",
                all.length,
                errors.get(),
                percentile(all, 0.50),
                percentile(all, 0.90),
                percentile(all, 0.99),
                percentile(all, 0.999),
                (all.length > 0) ? all[all.length - 1] / 1e6 : 0.0);
    }

    private static void run(
            URI uri,
            long start,
            long periodNanos,
            long slots,
            int first,
            int stride,
            long[] latencies,
            AtomicLong errors) {
        // One client per thread: one keep-alive connection each, like a wrk connection.
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
        int count = 0;
        for (long slot = first; slot < slots; slot += stride) {
            long scheduled = start + slot * periodNanos;
            long wait;
            while ((wait = scheduled - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 200) {
                    errors.incrementAndGet();
                }
            } catch (Exception ex) {
                errors.incrementAndGet();
            }
            latencies[count++] = Math.max(1, System.nanoTime() - scheduled);
        }
    }

    private static double percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0.0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
