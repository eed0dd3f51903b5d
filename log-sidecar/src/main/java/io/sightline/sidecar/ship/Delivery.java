package io.sightline.sidecar.ship;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
 * The delivery stage, the same for every sink: batches records by size and time, hands one batch at
 * a time to the {@link BatchSender}, and moves the checkpoint only after a whole batch is dealt with.
 * Records are accounted in flight from {@link #put} until their batch is done; when
 * {@code SIGHTLINE_MAX_IN_FLIGHT_BYTES} is reached {@link #put} blocks, which pauses reading: during
 * an outage the log file on disk is the buffer and the heap stays flat.
 */
public final class Delivery implements RecordHandoff, Runnable {

    private final SidecarConfig config;
    private final Checkpoints checkpoints;
    private final BatchSender sender;
    private final SinkHealth health;

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

    public Delivery(
            SidecarConfig config, Sink sink, Checkpoints checkpoints, SidecarMetrics metrics, Diagnostics diagnostics) {
        this.config = config;
        this.checkpoints = checkpoints;
        this.health = new SinkHealth(config.readyWindow(), System::nanoTime);
        this.sender = new BatchSender(
                config,
                sink,
                metrics,
                diagnostics,
                health,
                wait -> !abandon.await(wait.toNanos(), TimeUnit.NANOSECONDS),
                System::currentTimeMillis);
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
                if (!sender.send(batch)) {
                    return; // shutdown grace is over: this batch stays unacknowledged and is read again
                }
                checkpoints.acknowledge(batch);
                checkpoints.save();
                release(batch);
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

    /** Exposed for tests: the wait before attempt {@code attempt} (1-based) given the server's {@code Retry-After}. */
    Duration backoff(int attempt, Duration retryAfter) {
        return sender.backoff(attempt, retryAfter);
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

    /** Null when ready; otherwise why not: the sink has been unreachable or refusing us for the ready window. */
    public String notReadyReason() {
        return health.notReadyReason();
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
