package io.sightline.sidecar.ship;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import io.sightline.sidecar.config.SidecarConfig;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.metrics.SidecarMetrics;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.SendResult.RetryKind;

/**
 * Deals with one batch until every record is accepted, or dropped and counted, the same for every
 * sink: records that cannot be sent now are held and sent again with exponential back-off (never
 * longer than the maximum, whatever {@code Retry-After} says); a request too large, or one the sink
 * fails on (an exception or a stack overflow), is split in halves until the pieces pass, so only a record refused
 * on its own is dropped; a sink whose code cannot load is held like an unreachable one. Drops count only what can never be sent: refused for good, alone too large or breaking the
 * sink, or out of attempts when {@code SIGHTLINE_RETRY_MAX_ATTEMPTS} is set.
 */
final class BatchSender {

    static final String CAUSE_IO = "io_error";
    static final String CAUSE_TIMEOUT = "timeout";
    static final String CAUSE_ERROR = "sink_error";

    /** Waits before the next attempt; false when the wait was cut short because sending is abandoned. */
    @FunctionalInterface
    interface Pause {
        boolean pause(Duration wait) throws InterruptedException;
    }

    private final SidecarConfig config;
    private final Sink sink;
    private final SidecarMetrics metrics;
    private final Diagnostics diagnostics;
    private final SinkHealth health;
    private final Pause pause;
    private final LongSupplier epochMillis;
    private String lastLoggedProblem;

    BatchSender(
            SidecarConfig config,
            Sink sink,
            SidecarMetrics metrics,
            Diagnostics diagnostics,
            SinkHealth health,
            Pause pause,
            LongSupplier epochMillis) {
        this.config = config;
        this.sink = sink;
        this.metrics = metrics;
        this.diagnostics = diagnostics;
        this.health = health;
        this.pause = pause;
        this.epochMillis = epochMillis;
    }

    /** True once every record of {@code batch} is dealt with; false when abandoned (shutdown) before. */
    boolean send(List<LogRecord> batch) throws InterruptedException {
        Deque<List<LogRecord>> pieces = new ArrayDeque<>();
        pieces.push(batch);
        while (!pieces.isEmpty()) {
            if (!sendPiece(pieces.pop(), pieces)) {
                return false;
            }
        }
        return true;
    }

    private boolean sendPiece(List<LogRecord> piece, Deque<List<LogRecord>> pieces) throws InterruptedException {
        List<LogRecord> pending = piece;
        int attempt = 0;
        while (true) {
            SendResult result = attempt(pending);
            account(pending, result);
            List<LogRecord> retry = result.retry();
            if (retry.isEmpty()) {
                return true;
            }
            String cause = result.retryCause() == null ? CAUSE_ERROR : result.retryCause();
            metrics.sendRetries.labelValues(sink.name(), cause).inc();
            if (result.retryKind() == RetryKind.TOO_LARGE || result.retryKind() == RetryKind.BROKEN) {
                split(retry, result, pieces);
                return true;
            }
            if (result.retryKind() == RetryKind.REFUSED) {
                health.unusable(result.message());
            }
            attempt++;
            if (config.retryMaxAttempts() > 0 && attempt >= config.retryMaxAttempts()) {
                drop(retry.size(), SidecarMetrics.DROP_RETRIES_EXHAUSTED);
                diagnostics.error(
                        "giving up on records after SIGHTLINE_RETRY_MAX_ATTEMPTS attempts",
                        "sink",
                        sink.name(),
                        "records",
                        retry.size(),
                        "cause",
                        cause,
                        "attempts",
                        attempt);
                return true;
            }
            Duration wait = backoff(attempt, result.retryAfter());
            reportRetry(result, cause, attempt, retry.size(), wait);
            if (!pause.pause(wait)) {
                return false;
            }
            pending = retry;
        }
    }

    /** A piece too large, or one the sink fails on: its halves go first, in order; a single record is dropped. */
    private void split(List<LogRecord> retry, SendResult result, Deque<List<LogRecord>> pieces) {
        if (retry.size() > 1) {
            pieces.push(retry.subList(retry.size() / 2, retry.size()));
            pieces.push(retry.subList(0, retry.size() / 2));
            return;
        }
        boolean tooLarge = result.retryKind() == RetryKind.TOO_LARGE;
        drop(1, tooLarge ? SidecarMetrics.DROP_REJECTED : SidecarMetrics.DROP_UNSENDABLE);
        diagnostics.warn(
                tooLarge
                        ? "the sink refuses a single record as too large; it is dropped"
                        : "the sink fails on a single record; it is dropped",
                "sink",
                sink.name(),
                "reason",
                result.message(),
                "file_id",
                retry.get(0).position() == null ? null : retry.get(0).position().fileId(),
                "offset",
                retry.get(0).position() == null ? -1 : retry.get(0).position().startOffset());
    }

    private SendResult attempt(List<LogRecord> records) {
        long start = System.nanoTime();
        try {
            SendResult result = sink.send(records);
            if (result.retryKind() != RetryKind.REFUSED) {
                health.usable();
            }
            return result;
        } catch (HttpTimeoutException e) {
            health.unusable("no complete answer within the timeout: " + e.getMessage());
            diagnostics.debug("sink did not answer in time", "sink", sink.name(), "error", e);
            return SendResult.retryAll(records, CAUSE_TIMEOUT, null);
        } catch (IOException e) {
            health.unusable("sink not reachable: " + e);
            diagnostics.debug("sink not reachable", "sink", sink.name(), "error", e);
            return SendResult.retryAll(records, CAUSE_IO, null);
        } catch (LinkageError e) {
            // the sink's classes or native library cannot load here: every record would fail alike, and a
            // restart would not help; held (the file is the buffer) and retried, /readyz says why
            String problem = "the sink's code cannot run here (" + e + "); records are held and retried";
            health.unusable(problem);
            diagnostics.debug("sink code cannot load", "sink", sink.name(), "error", e);
            return SendResult.retryAll(records, RetryKind.TRANSIENT, CAUSE_ERROR, null, problem);
        } catch (RuntimeException | StackOverflowError | AssertionError e) {
            // a sink bug must not stop shipping nor loop on one record: split until the record is found.
            // Other errors (out of memory, a broken JVM) still end the process, which restarts from the checkpoint
            diagnostics.error(
                    "the sink failed unexpectedly", "sink", sink.name(), "records", records.size(), "error", e);
            return SendResult.retryAll(records, RetryKind.BROKEN, CAUSE_ERROR, null, e.toString());
        } finally {
            metrics.sendDuration.labelValues(sink.name()).observe((System.nanoTime() - start) / 1e9);
        }
    }

    private void account(List<LogRecord> sent, SendResult result) {
        int accepted = sent.size() - result.retry().size() - result.rejected();
        if (accepted > 0) {
            metrics.recordsSent.labelValues(sink.name()).inc(accepted);
            metrics.lastSuccess.labelValues(sink.name()).set(epochMillis.getAsLong() / 1000.0);
        }
        if (result.reshaped() > 0) {
            metrics.mappingConflicts.labelValues(sink.name()).inc(result.reshaped());
        }
        if (result.rejected() > 0) {
            drop(result.rejected(), SidecarMetrics.DROP_REJECTED);
            diagnostics.warn(
                    "the sink rejected records; they are dropped",
                    "sink",
                    sink.name(),
                    "records",
                    result.rejected(),
                    "reason",
                    result.rejectReason());
        }
        if (result.retry().isEmpty()) {
            lastLoggedProblem = null;
        }
    }

    /** The server's message is logged when it changes, not on every attempt; progress every tenth attempt. */
    private void reportRetry(SendResult result, String cause, int attempt, int records, Duration wait) {
        String problem = cause + " " + result.message();
        if (!problem.equals(lastLoggedProblem)) {
            lastLoggedProblem = problem;
            diagnostics.warn(
                    result.retryKind() == RetryKind.REFUSED
                            ? "the sink refuses our credentials, permissions, URL or proxy; records are held and"
                                    + " retried (fix the sink settings)"
                            : "sending failed; retrying",
                    "sink",
                    sink.name(),
                    "cause",
                    cause,
                    "message",
                    result.message(),
                    "records",
                    records,
                    "wait_ms",
                    wait.toMillis());
        } else if (attempt % 10 == 0) {
            diagnostics.warn(
                    "still retrying", "sink", sink.name(), "cause", cause, "attempt", attempt, "records", records);
        }
    }

    private void drop(int records, String reason) {
        metrics.recordsDropped.labelValues(sink.name(), reason).inc(records);
    }

    /**
     * Exponential back-off with "equal jitter" (half fixed, half random), at least the server's
     * {@code Retry-After} but never longer than the maximum back-off, whatever the server asked for.
     */
    Duration backoff(int attempt, Duration retryAfter) {
        long initial = config.retryInitialBackoff().toMillis();
        long max = config.retryMaxBackoff().toMillis();
        long exponential = Math.min(max, initial << Math.min(attempt - 1, 30));
        long millis = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        if (retryAfter != null && !retryAfter.isNegative()) {
            millis = Math.max(millis, retryAfter.compareTo(Duration.ofMillis(max)) > 0 ? max : retryAfter.toMillis());
        }
        return Duration.ofMillis(Math.min(millis, max));
    }
}
