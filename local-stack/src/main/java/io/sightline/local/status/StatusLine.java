package io.sightline.local.status;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.sightline.local.http.JsonHttp;
import io.sightline.local.process.DaemonThreads;
import io.sightline.local.traffic.TrafficStats;

/**
 * The live status of a running stack: request rate and error ratio (from the traffic generator), records
 * shipped and lag (from the sidecars' own /metrics, so it works without Prometheus) and the alerts the webhook
 * last saw firing. On a terminal it redraws one line; otherwise (CI logs) it prints a line every 10 s.
 */
public final class StatusLine implements AutoCloseable {

    /** One reading; {@code shipped} and {@code lagBytes} are -1 when no sidecar answered. */
    public record Reading(
            double requestsPerSecond,
            double errorRatio,
            long shipped,
            long lagBytes,
            List<String> firing,
            boolean burst) {}

    private final Supplier<TrafficStats> traffic;
    private final List<URI> sidecarMetrics;
    private final Supplier<List<String>> firingAlerts;
    private final BooleanSupplier inBurst;
    private final JsonHttp http;
    private final PrintStream out;
    private final boolean interactive;
    private final ScheduledExecutorService timer = DaemonThreads.scheduler("status-line");
    private TrafficStats previous = new TrafficStats(0, 0, 0, 0, 0, 0);
    private long previousNanos = System.nanoTime();

    public StatusLine(
            Supplier<TrafficStats> traffic,
            List<URI> sidecarMetrics,
            Supplier<List<String>> firingAlerts,
            BooleanSupplier inBurst,
            JsonHttp http,
            PrintStream out,
            boolean interactive) {
        this.traffic = traffic;
        this.sidecarMetrics = List.copyOf(sidecarMetrics);
        this.firingAlerts = firingAlerts;
        this.inBurst = inBurst;
        this.http = http;
        this.out = out;
        this.interactive = interactive;
    }

    public void start() {
        Duration period = interactive ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
        timer.scheduleAtFixedRate(this::print, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void print() {
        String line = render(read());
        if (interactive) {
            out.print("\r" + line + "\u001b[K");
        } else {
            out.println(line);
        }
        out.flush();
    }

    private Reading read() {
        TrafficStats now = traffic.get();
        long nanos = System.nanoTime();
        double seconds = Math.max(1e-3, (nanos - previousNanos) / 1e9);
        long sent = now.sent() - previous.sent();
        long failed = now.failed() - previous.failed();
        previous = now;
        previousNanos = nanos;
        long shipped = -1;
        long lag = -1;
        for (URI metrics : sidecarMetrics) {
            try {
                String exposition = http.getText(metrics);
                shipped = Math.max(shipped, 0)
                        + (long) MetricsText.sum(exposition, "sightline_sidecar_records_sent_total");
                lag = Math.max(lag, 0) + (long) MetricsText.sum(exposition, "sightline_sidecar_lag_bytes");
            } catch (IOException e) {
                // a sidecar that does not answer shows as missing numbers; the check names it
            }
        }
        return new Reading(
                sent / seconds,
                sent == 0 ? 0 : (double) failed / sent,
                shipped,
                lag,
                firingAlerts.get(),
                inBurst.getAsBoolean());
    }

    public static String render(Reading r) {
        return String.format(
                Locale.ROOT,
                "req/s %5.1f | errors %5.1f%% | shipped %s | lag %s | alerts firing: %s%s",
                r.requestsPerSecond(),
                100 * r.errorRatio(),
                r.shipped() < 0 ? "?" : Long.toString(r.shipped()),
                r.lagBytes() < 0 ? "?" : bytes(r.lagBytes()),
                r.firing().isEmpty() ? "none" : String.join(", ", r.firing()),
                r.burst() ? " | FAILURE BURST" : "");
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    @Override
    public synchronized void close() {
        if (timer.isShutdown()) {
            return;
        }
        timer.shutdownNow();
        if (interactive) {
            out.println();
        }
    }
}
