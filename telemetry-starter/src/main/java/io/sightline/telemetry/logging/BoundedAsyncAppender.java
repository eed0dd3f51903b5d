package io.sightline.telemetry.logging;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;

/**
 * Hands events to its attached appenders on one background thread, through a bounded queue.
 * <p>
 * A full queue drops the event and counts it ({@link #droppedCount()}) instead of blocking the
 * logging thread; unlike logback's {@code AsyncAppender} nothing is discarded before the queue is
 * full, whatever the level. An event whose preparation fails is dropped and counted too.
 * {@code stop()} (logback's shutdown) writes what is still queued, for at
 * most {@link #FLUSH_TIMEOUT}.
 * <p>
 * The {@code writePreparation} (masking) runs on the background thread, so callers do not pay for it
 * and dropped events never cost it.
 */
public class BoundedAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {

    /** How often an idle writer checks whether the appender was stopped. */
    private static final Duration IDLE_WAKE_UP = Duration.ofMillis(100);

    /** Longest time {@code stop()} waits for queued events to be written. */
    static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(1);

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();

    private final LongAdder dropped = new LongAdder();

    private final int queueSize;

    private final UnaryOperator<ILoggingEvent> writePreparation;

    private BlockingQueue<ILoggingEvent> queue;

    private Thread worker;

    /**
     * @param queueSize capacity of the queue, at least 1
     * @param writePreparation applied to each event just before it is written (e.g. masking)
     */
    public BoundedAsyncAppender(int queueSize, UnaryOperator<ILoggingEvent> writePreparation) {
        if (queueSize < 1) {
            throw new IllegalArgumentException("queueSize must be at least 1, was " + queueSize);
        }
        this.queueSize = queueSize;
        this.writePreparation = writePreparation;
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        this.queue = new ArrayBlockingQueue<>(this.queueSize);
        this.worker = new Thread(this::writeUntilStopped, "sightline-log-writer");
        this.worker.setDaemon(true);
        super.start();
        this.worker.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // Freeze thread name, MDC and formatted message now: the event is written on another thread.
        event.prepareForDeferredProcessing();
        if (!this.queue.offer(event)) {
            this.dropped.increment();
        }
    }

    private void writeUntilStopped() {
        while (isStarted()) {
            ILoggingEvent event = nextEvent();
            if (event != null) {
                write(event);
            }
        }
        for (ILoggingEvent event = this.queue.poll(); event != null; event = this.queue.poll()) {
            write(event);
        }
    }

    private ILoggingEvent nextEvent() {
        try {
            return this.queue.poll(IDLE_WAKE_UP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            // Only stop() ends the writer; an interrupt from elsewhere must not silence logging.
            addWarn("Log writer thread was interrupted; it keeps writing until the appender is stopped");
            return null;
        }
    }

    private void write(ILoggingEvent event) {
        ILoggingEvent prepared;
        try {
            prepared = this.writePreparation.apply(event);
        } catch (RuntimeException ex) {
            // Writing the event unprepared could leak a secret; losing it must not kill the writer thread.
            this.dropped.increment();
            addError("Dropped a log event that could not be prepared for writing", ex);
            return;
        }
        this.appenders.appendLoopOnAppenders(prepared);
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        // No interrupt: it could abort an appender in the middle of a write (interruptible I/O, locks).
        super.stop();
        try {
            this.worker.join(FLUSH_TIMEOUT.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (this.worker.isAlive()) {
            addWarn("Stopped with " + this.queue.size() + " log events not yet written after " + FLUSH_TIMEOUT);
        }
        this.appenders.detachAndStopAllAppenders();
    }

    /** Events dropped because the queue was full, since this appender was created. */
    public long droppedCount() {
        return this.dropped.sum();
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        this.appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return this.appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return this.appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return this.appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        this.appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return this.appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return this.appenders.detachAppender(name);
    }
}
