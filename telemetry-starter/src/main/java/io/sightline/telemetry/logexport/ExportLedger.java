package io.sightline.telemetry.logexport;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.sightline.telemetry.logging.DropReason;

/**
 * Keeps count of the records on their way to the exporter, so that the export queue is bounded by the
 * starter and every record it loses is counted with its reason. The OpenTelemetry SDK's batch processor
 * drops records silently when its queue is full; records are only given to it while fewer than its
 * capacity are waiting ({@link #reserve()}), so it never has to.
 */
final class ExportLedger {

    private final int capacity;

    /** Records handed to the SDK and not yet to the exporter: at least as many as its queue holds. */
    private final AtomicInteger waiting = new AtomicInteger();

    private final LongAdder queueFull = new LongAdder();

    private final LongAdder failed = new LongAdder();

    /** @param capacity records that may wait for export, the SDK queue's size */
    ExportLedger(int capacity) {
        this.capacity = capacity;
    }

    int capacity() {
        return this.capacity;
    }

    /**
     * Takes a place for one record, or counts it as dropped ({@link DropReason#EXPORT_QUEUE_FULL}).
     * @return whether the record may be handed to the SDK
     */
    boolean reserve() {
        int current;
        do {
            current = this.waiting.get();
            if (current >= this.capacity) {
                this.queueFull.increment();
                return false;
            }
        } while (!this.waiting.compareAndSet(current, current + 1));
        return true;
    }

    /** @param records records that reached the exporter (or never will): their places are free again */
    void released(int records) {
        this.waiting.addAndGet(-records);
    }

    /** @param records records the endpoint did not accept (error answer, timeout, unreachable) */
    void failed(int records) {
        this.failed.add(records);
    }

    /**
     * @param reason {@link DropReason#EXPORT_QUEUE_FULL} or {@link DropReason#EXPORT_FAILED}; 0 for the others
     * @return records dropped for that reason so far
     */
    long dropped(DropReason reason) {
        return switch (reason) {
            case EXPORT_QUEUE_FULL -> this.queueFull.sum();
            case EXPORT_FAILED -> this.failed.sum();
            default -> 0;
        };
    }
}
