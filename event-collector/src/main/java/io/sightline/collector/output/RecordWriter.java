package io.sightline.collector.output;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.sightline.collector.metrics.CollectorMetrics;
import io.sightline.collector.metrics.CollectorMetrics.DropReason;
import io.sightline.collector.watch.KubeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands records from the informer thread to one writer thread through a bounded queue, so a burst of events
 * costs at most {@code queueCapacity} records of heap: when the queue is full the record is dropped and counted
 * ({@code records_dropped_total{reason="overflow"}}) instead of blocking the informer or growing memory.
 * <p>
 * The writer takes what is queued, writes it in one go and only then tells the {@link WriteListener} which records
 * reached the file ({@code records_written_total}) and which were lost ({@code reason="write_error"}, each one).
 */
public final class RecordWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecordWriter.class);
    private static final int BATCH = 256;

    private final BlockingQueue<KubeEvent> queue;
    private final RecordFile file;
    private final Path path;
    private final CollectorMetrics metrics;
    private final EventRecordFormatter formatter = new EventRecordFormatter();
    private final ByteArrayOutputStream lines = new ByteArrayOutputStream(64 * 1024);
    private final ByteArrayOutputStream record = new ByteArrayOutputStream(1024);
    private final Thread thread;
    private volatile WriteListener listener;
    private volatile boolean running = true;
    /** records taken from the queue and not yet accounted */
    private volatile int writing;

    private boolean failing;

    public RecordWriter(Path path, int queueCapacity, long maxFileBytes, int maxFiles, CollectorMetrics metrics) {
        this(path, queueCapacity, maxFileBytes, maxFiles, metrics, RecordFile.APPEND);
    }

    RecordWriter(
            Path path,
            int queueCapacity,
            long maxFileBytes,
            int maxFiles,
            CollectorMetrics metrics,
            RecordFile.Opener opener) {
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.file = new RecordFile(path, maxFileBytes, maxFiles, opener);
        this.path = path;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "event-record-writer");
        this.thread.setDaemon(true);
    }

    /** Starts writing, telling {@code listener} what reached the file. */
    public synchronized void start(WriteListener listener) {
        this.listener = listener;
        if (!thread.isAlive() && running) {
            thread.start();
        }
    }

    /** Never blocks: a full queue drops the record, counts it and tells the listener. */
    public boolean submit(KubeEvent event) {
        if (queue.offer(event)) {
            return true;
        }
        metrics.dropped(DropReason.OVERFLOW);
        listener.notWritten(event);
        return false;
    }

    /** Records waiting for the writer (never more than the capacity). */
    public int queued() {
        return queue.size();
    }

    /** Waits until everything submitted so far was written (or lost), at most {@code timeoutMillis}. */
    public boolean drain(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while ((!queue.isEmpty() || writing > 0) && thread.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5); // bounded poll of another thread's progress during shutdown, not a test wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return queue.isEmpty() && writing == 0;
    }

    private void run() {
        List<KubeEvent> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                // the timeout only bounds how late a stop request is noticed
                KubeEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                writing = 1;
                queue.drainTo(batch, BATCH - 1);
                writing = batch.size();
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // a record that cannot be formatted must not end the writer
                log.error("Writing event records failed unexpectedly; the batch is counted as lost", e);
                batch.forEach(this::lost);
            } finally {
                batch.clear();
                writing = 0;
            }
        }
    }

    /** Writes the batch, rotating the file where the next record would not fit. */
    private void write(List<KubeEvent> batch) {
        int from = 0;
        while (from < batch.size()) {
            lines.reset();
            List<Integer> ends = new ArrayList<>();
            int to = from;
            try {
                long room = file.room();
                boolean fresh = file.isEmpty();
                while (to < batch.size()) {
                    record.reset();
                    formatter.format(batch.get(to), record);
                    // a fresh file takes one record even if it is larger than the limit
                    if (lines.size() + record.size() > room && (lines.size() > 0 || !fresh)) {
                        break;
                    }
                    record.writeTo(lines);
                    ends.add(lines.size());
                    to++;
                }
                if (to == from) {
                    file.rotate();
                    continue;
                }
            } catch (IOException e) {
                fail(e);
                batch.subList(from, batch.size()).forEach(this::lost);
                return;
            }
            try {
                file.append(lines.toByteArray(), lines.size());
            } catch (RecordFile.PartialWrite e) {
                fail(e.getCause());
                // the lines that reached the file completely are written; the rest is lost
                for (int i = from; i < to; i++) {
                    if (ends.get(i - from) <= e.landed) {
                        writtenOk(batch.get(i));
                    } else {
                        lost(batch.get(i));
                    }
                }
                batch.subList(to, batch.size()).forEach(this::lost);
                return;
            }
            batch.subList(from, to).forEach(this::writtenOk);
            recovered();
            from = to;
        }
    }

    private void writtenOk(KubeEvent event) {
        metrics.written();
        listener.written(event);
    }

    private void lost(KubeEvent event) {
        metrics.dropped(DropReason.WRITE_ERROR);
        listener.notWritten(event);
    }

    private void recovered() {
        if (failing) {
            log.info("Writing {} works again", path);
            failing = false;
        }
    }

    /** Logs the first failure of a streak (each lost record is counted). */
    private void fail(Throwable cause) {
        if (!failing) {
            log.error(
                    "Cannot write event records to {}; records are dropped and counted in "
                            + "sightline_event_collector_records_dropped_total{reason=\"write_error\"}, and written "
                            + "again while the collector leads. Check that the shared volume is mounted, writable "
                            + "and not full.",
                    path,
                    cause);
            failing = true;
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            file.close();
        } catch (IOException e) {
            log.warn("Closing {} failed", path, e);
        }
    }
}
