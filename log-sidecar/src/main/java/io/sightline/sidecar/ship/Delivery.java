package io.sightline.sidecar.ship;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.sightline.sidecar.checkpoint.Checkpoints;
import io.sightline.sidecar.config.SidecarConfig;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.metrics.SidecarMetrics;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.source.RecordHandoff;

/**
 * The delivery stage, the same for every sink: batches records by size and time, sends one batch
 * at a time, retries with exponential back-off and jitter (honouring {@code Retry-After}), counts
 * what the sink accepted, rejected or never got, and moves the checkpoint only after a whole batch
 * is dealt with. Records are accounted in flight from {@link #put} until their batch is done; when
 * {@code SIGHTLINE_MAX_IN_FLIGHT_BYTES} is reached {@link #put} blocks, which pauses reading: during
 * an outage the log file on disk is the buffer and the heap stays flat.
 */
public final class Delivery implements RecordHandoff, Runnable {

    static final String CAUSE_IO = "io_error";
    static final String CAUSE_ERROR = "sink_error";

    private final SidecarConfig config;
    private final Sink sink;
    private final Checkpoints checkpoints;
    private final SidecarMetrics metrics;
    private final Diagnostics diagnostics;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<LogRecord> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long inFlightBytes;
    private long peakInFlightBytes;
    private long queueSinceNanos;
    private boolean intakeClosed;

    private final CountDownLatch abandon = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile long unreachableSinceNanos;
    private volatile boolean lastAttemptFailed;

    public Delivery(
            SidecarConfig config, Sink sink, Checkpoints checkpoints, SidecarMetrics metrics, Diagnostics diagnostics) {
        this.config = config;
        this.sink = sink;
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.diagnostics = diagnostics;
    }

    @Override
    public boolean put(LogRecord record) {
        long size = record.approximateBytes();
        lock.lock();
        try {
            // a record larger than the whole bound still goes alone, so nothing can wedge
            while (!intakeClosed && inFlightBytes > 0 && inFlightBytes + size > config.maxInFlightBytes()) {
                notFull.await();
            }
            if (intakeClosed) {
                return false;
            }
            if (queue.isEmpty()) {
                queueSinceNanos = System.nanoTime();
            }
            queue.addLast(record);
            queuedBytes += size;
            inFlightBytes += size;
            peakInFlightBytes = Math.max(peakInFlightBytes, inFlightBytes);
            if (queue.size() == 1 || queuedBytes >= config.batchMaxBytes()) {
                notEmpty.signal();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        try {
            List<LogRecord> batch;
            while ((batch = nextBatch()) != null) {
                if (!deliver(batch)) {
                    return; // shutdown grace is over: this batch stays unacknowledged and is read again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done.countDown();
        }
    }

    /** The next batch: when {@code batchMaxBytes} are queued, the oldest queued record waited {@code batchMaxWait}, or at shutdown. */
    private List<LogRecord> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            long maxWait = config.batchMaxWait().toNanos();
            while (true) {
                if (queue.isEmpty()) {
                    if (intakeClosed) {
                        return null;
                    }
                    notEmpty.await();
                    continue;
                }
                long waited = System.nanoTime() - queueSinceNanos;
                if (queuedBytes >= config.batchMaxBytes() || waited >= maxWait || intakeClosed) {
                    break;
                }
                notEmpty.awaitNanos(maxWait - waited);
            }
            List<LogRecord> batch = new ArrayList<>();
            long bytes = 0;
            while (!queue.isEmpty()
                    && (batch.isEmpty() || bytes + queue.peekFirst().approximateBytes() <= config.batchMaxBytes())) {
                LogRecord record = queue.pollFirst();
                bytes += record.approximateBytes();
                batch.add(record);
            }
            queuedBytes -= bytes;
            queueSinceNanos = System.nanoTime();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Sends until every record is accepted, rejected or out of retries; false if abandoned at shutdown. */
    private boolean deliver(List<LogRecord> batch) throws InterruptedException {
        List<LogRecord> pending = batch;
        int attempt = 0;
        while (true) {
            if (abandon.getCount() == 0) {
                return false;
            }
            SendResult result = attempt(pending);
            int retry = result.retry().size();
            int accepted = pending.size() - retry - result.rejected();
            if (accepted > 0) {
                metrics.recordsSent.labelValues(sink.name()).inc(accepted);
            }
            if (result.rejected() > 0) {
                metrics.recordsDropped
                        .labelValues(sink.name(), SidecarMetrics.DROP_REJECTED)
                        .inc(result.rejected());
                diagnostics.warn(
                        "the sink rejected records; they are dropped",
                        "sink",
                        sink.name(),
                        "records",
                        result.rejected(),
                        "reason",
                        result.rejectReason());
            }
            if (retry == 0) {
                metrics.lastSuccess.labelValues(sink.name()).set(System.currentTimeMillis() / 1000.0);
                break;
            }
            String cause = result.retryCause() == null ? CAUSE_ERROR : result.retryCause();
            metrics.sendRetries.labelValues(sink.name(), cause).inc();
            attempt++;
            if (config.retryMaxAttempts() > 0 && attempt >= config.retryMaxAttempts()) {
                metrics.recordsDropped
                        .labelValues(sink.name(), SidecarMetrics.DROP_RETRIES_EXHAUSTED)
                        .inc(retry);
                diagnostics.error(
                        "giving up on records after SIGHTLINE_RETRY_MAX_ATTEMPTS attempts",
                        "sink",
                        sink.name(),
                        "records",
                        retry,
                        "cause",
                        cause,
                        "attempts",
                        attempt);
                break;
            }
            Duration wait = backoff(attempt, result.retryAfter());
            if (attempt == 1 || attempt % 10 == 0) {
                diagnostics.warn(
                        "sending failed; retrying",
                        "sink",
                        sink.name(),
                        "cause",
                        cause,
                        "attempt",
                        attempt,
                        "records",
                        retry,
                        "wait_ms",
                        wait.toMillis());
            }
            if (abandon.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            pending = result.retry();
        }
        checkpoints.acknowledge(batch);
        checkpoints.save();
        release(batch);
        return true;
    }

    private SendResult attempt(List<LogRecord> records) {
        long start = System.nanoTime();
        try {
            SendResult result = sink.send(records);
            unreachableSinceNanos = 0;
            lastAttemptFailed = false;
            return result;
        } catch (IOException e) {
            if (!lastAttemptFailed) {
                unreachableSinceNanos = System.nanoTime();
                lastAttemptFailed = true;
            }
            diagnostics.debug("sink not reachable", "sink", sink.name(), "error", e);
            return SendResult.retryAll(records, CAUSE_IO, null);
        } catch (RuntimeException e) {
            // a sink bug must not stop shipping; it is reported and the batch retried like a server error
            diagnostics.error("the sink failed unexpectedly; retrying", "sink", sink.name(), "error", e);
            return SendResult.retryAll(records, CAUSE_ERROR, null);
        } finally {
            metrics.sendDuration.labelValues(sink.name()).observe((System.nanoTime() - start) / 1e9);
        }
    }

    /** Exponential back-off with "equal jitter" (half fixed, half random); never shorter than the server's Retry-After. */
    Duration backoff(int attempt, Duration retryAfter) {
        long initial = config.retryInitialBackoff().toMillis();
        long max = config.retryMaxBackoff().toMillis();
        long exponential = Math.min(max, initial << Math.min(attempt - 1, 30));
        long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        long millis = retryAfter == null ? jittered : Math.max(retryAfter.toMillis(), jittered);
        return Duration.ofMillis(millis);
    }

    private void release(List<LogRecord> batch) {
        long bytes = 0;
        for (LogRecord record : batch) {
            bytes += record.approximateBytes();
        }
        lock.lock();
        try {
            inFlightBytes -= bytes;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** No more records are taken; what is queued is still sent. */
    public void closeIntake() {
        lock.lock();
        try {
            intakeClosed = true;
            notFull.signalAll();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code grace} for queued batches to be sent; then abandons the rest (unacknowledged, read again after restart). */
    public boolean drain(Duration grace) throws InterruptedException {
        if (done.await(grace.toNanos(), TimeUnit.NANOSECONDS)) {
            return true;
        }
        abandon.countDown();
        return false;
    }

    /** Ready unless the sink has been unreachable for longer than {@code SIGHTLINE_READY_WINDOW}. */
    public boolean ready() {
        long since = unreachableSinceNanos;
        return !lastAttemptFailed
                || System.nanoTime() - since < config.readyWindow().toNanos();
    }

    public long inFlightBytes() {
        lock.lock();
        try {
            return inFlightBytes;
        } finally {
            lock.unlock();
        }
    }

    /** The highest in-flight byte count so far: the memory bound's evidence. */
    public long peakInFlightBytes() {
        lock.lock();
        try {
            return peakInFlightBytes;
        } finally {
            lock.unlock();
        }
    }
}
