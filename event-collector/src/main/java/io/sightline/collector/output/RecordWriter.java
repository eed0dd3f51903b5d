package io.sightline.collector.output;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
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
 */
public final class RecordWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecordWriter.class);

    private final BlockingQueue<KubeEvent> queue;
    private final RotatingFile file;
    private final Path path;
    private final CollectorMetrics metrics;
    private final EventRecordFormatter formatter = new EventRecordFormatter();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    private final Thread thread;
    private volatile boolean running = true;
    private boolean failing;

    public RecordWriter(Path path, int queueCapacity, long maxFileBytes, int maxFiles, CollectorMetrics metrics) {
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.file = new RotatingFile(path, maxFileBytes, maxFiles);
        this.path = path;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "event-record-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Never blocks: a full queue drops the record and counts it. */
    public void submit(KubeEvent event) {
        if (!queue.offer(event)) {
            metrics.dropped(DropReason.OVERFLOW);
        }
    }

    /** Records waiting for the writer (never more than the capacity). */
    public int queued() {
        return queue.size();
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            KubeEvent event;
            try {
                // the timeout only bounds how late a stop request is noticed
                event = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (event == null) {
                continue;
            }
            write(event);
            if (queue.isEmpty()) {
                flush();
            }
        }
        flush();
    }

    private void write(KubeEvent event) {
        line.reset();
        formatter.format(event, line);
        try {
            file.write(line.toByteArray(), line.size());
            metrics.written();
            if (failing) {
                log.info("Writing {} works again", path);
                failing = false;
            }
        } catch (IOException e) {
            metrics.dropped(DropReason.WRITE_ERROR);
            giveUpStream(e);
        }
    }

    private void flush() {
        try {
            file.flush();
        } catch (IOException e) {
            giveUpStream(e);
        }
    }

    /** Logs the first failure of a streak (each lost record is counted), and reopens the file on the next record. */
    private void giveUpStream(IOException cause) {
        if (!failing) {
            log.error(
                    "Cannot write event records to {}; records are dropped and counted in "
                            + "sightline_event_collector_records_dropped_total{reason=\"write_error\"} until it works again. "
                            + "Check that the shared volume is mounted and writable.",
                    path,
                    cause);
            failing = true;
        }
        try {
            file.close();
        } catch (IOException closeFailure) {
            log.debug("Closing {} after a write error failed as well", path, closeFailure);
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
            log.warn("Closing {} failed; the last records may be incomplete", path, e);
        }
    }
}
