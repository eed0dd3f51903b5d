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
import io.sightline.sidecar.source.RecordIntake;

/**
 * The delivery stage, the same for every sink: batches records by size and time, hands one batch at
 * a time to the {@link BatchSender}, and moves the checkpoint only after a whole batch is dealt with.
 * Records are accounted in flight from {@link #offer} until their batch is done, together with the
 * unfinished lines the readers hold ({@link #held}); at {@code SIGHTLINE_MAX_IN_FLIGHT_BYTES} a record
 * is refused and the reader reads it again later, without blocking: during an outage the log file on
 * disk is the buffer, the heap stays flat, and the reader goes on watching its files.
 */
public final class Delivery implements RecordIntake, Runnable {

    private final SidecarConfig config;
    private final Checkpoints checkpoints;
    private final BatchSender sender;
    private final SinkHealth health;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<LogRecord> queue = new ArrayDeque<>();
    private long queuedBytes;
    /** Records queued or being sent. */
    private long recordBytes;
    /** Unfinished lines and records being joined, held by readers. */
    private long heldBytes;

    private long peakInFlightBytes;
    private volatile Runnable roomListener = () -> {};
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

    /** Called whenever room frees up in the bound: the reader, which never waits for it, is woken. */
    public void onRoom(Runnable listener) {
        this.roomListener = listener;
    }

    @Override
    public boolean offer(LogRecord record) {
        return take(record, false);
    }

    @Override
    public boolean force(LogRecord record) {
        return take(record, true);
    }

    private boolean take(LogRecord record, boolean force) {
        long size = record.approximateBytes();
        lock.lock();
        try {
            if (intakeClosed) {
                return false;
            }
            // a record larger than the whole bound still goes when nothing else is in flight: nothing can wedge
            if (!force && recordBytes > 0 && recordBytes + heldBytes + size > config.maxInFlightBytes()) {
                return false;
            }
            if (queue.isEmpty()) {
                queueSinceNanos = System.nanoTime();
            }
            queue.addLast(record);
            queuedBytes += size;
            recordBytes += size;
            peakInFlightBytes = Math.max(peakInFlightBytes, recordBytes + heldBytes);
            if (queue.size() == 1 || queuedBytes >= config.batchMaxBytes()) {
                notEmpty.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long room() {
        lock.lock();
        try {
            return config.maxInFlightBytes() - recordBytes - heldBytes;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean idle() {
        lock.lock();
        try {
            return recordBytes == 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void held(long deltaBytes) {
        lock.lock();
        try {
            heldBytes += deltaBytes;
            peakInFlightBytes = Math.max(peakInFlightBytes, recordBytes + heldBytes);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean closed() {
        lock.lock();
        try {
            return intakeClosed;
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
            recordBytes -= bytes;
        } finally {
            lock.unlock();
        }
        roomListener.run();
    }

    /** No more records are taken; what is queued is still sent. */
    public void closeIntake() {
        lock.lock();
        try {
            intakeClosed = true;
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

    /** Bytes in flight: records queued or being sent, and what readers hold. */
    public long inFlightBytes() {
        lock.lock();
        try {
            return recordBytes + heldBytes;
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
