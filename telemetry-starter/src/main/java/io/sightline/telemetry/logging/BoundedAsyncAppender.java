package io.sightline.telemetry.logging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;

/**
 * Hands events to its attached appenders on one background thread, through a queue bounded in events
 * and in bytes.
 * <p>
 * On the logging thread, an event is frozen (message formatted, MDC copied), its overlong texts are cut
 * ({@link FieldTruncation}, counted) and it is queued; when the queue is full in events or bytes the
 * event is dropped and counted ({@link #droppedCount()}) instead of blocking the caller. Unlike
 * logback's {@code AsyncAppender} nothing is discarded before the queue is full, whatever the level.
 * <p>
 * The writer thread takes events in batches: it prepares each one for writing ({@code
 * writePreparation}: masking, so callers never pay for it and dropped events never cost it), hands it
 * to the appenders, and flushes buffered appenders once per batch. While events keep coming it lingers
 * {@link #LINGER} between batches instead of being woken for every event. An event whose preparation
 * or writing fails, with an exception or an {@link Error}, is dropped and counted; the thread goes on.
 * {@code stop()} (logback's shutdown) writes what is still queued while the writer makes progress, for at
 * most {@link #MAX_FLUSH}.
 */
public class BoundedAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {

    /** How long an idle writer waits for an event before checking whether the appender was stopped. */
    private static final Duration IDLE_WAIT = Duration.ofMillis(100);

    /** How long a busy writer lets events gather before the next batch: one wake-up per batch, not per event. */
    static final Duration LINGER = Duration.ofMillis(1);

    private static final int MAX_BATCH = 1024;

    /** How long {@code stop()} waits for a writer that makes no progress before giving the queue up. */
    static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(1);

    /** Longest time {@code stop()} waits for queued events to be written while the writer makes progress. */
    static final Duration MAX_FLUSH = Duration.ofSeconds(10);

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();

    private final LongAdder dropped = new LongAdder();

    private final AtomicLong queuedBytes = new AtomicLong();

    /** Events handled by the writer (written by it alone), so that {@code stop()} can tell a slow writer from a stuck one. */
    private volatile long eventsHandled;

    private final int queueSize;

    private final long maxQueuedBytes;

    private final FieldTruncation truncation;

    private volatile UnaryOperator<ILoggingEvent> writePreparation;

    private BlockingQueue<Queued> queue;

    private Thread worker;

    /** An event and the bytes it was counted with. */
    private record Queued(ILoggingEvent event, int bytes) {}

    /**
     * @param queue capacity of the queue in events and bytes
     * @param maxFieldLength longest message, exception message or MDC/key-value value kept, in characters
     * @param writePreparation applied to each event just before it is written (e.g. masking)
     */
    public BoundedAsyncAppender(
            LoggingProperties.Async queue, int maxFieldLength, UnaryOperator<ILoggingEvent> writePreparation) {
        this.queueSize = queue.queueSize();
        this.maxQueuedBytes = queue.maxQueuedSize().toBytes();
        this.truncation = new FieldTruncation(maxFieldLength);
        this.writePreparation = writePreparation;
    }

    /**
     * Replaces what is applied to each event before it is written, for the events not yet written.
     * @param writePreparation e.g. masking with the application's own {@code Masker}
     */
    public void setWritePreparation(UnaryOperator<ILoggingEvent> writePreparation) {
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
        ILoggingEvent bounded = this.truncation.apply(event);
        int bytes = EventSize.estimate(bounded);
        long queued = this.queuedBytes.get();
        // An event larger than the whole budget still goes through an empty queue.
        if ((queued > 0 && queued + bytes > this.maxQueuedBytes) || !this.queue.offer(new Queued(bounded, bytes))) {
            this.dropped.increment();
            return;
        }
        this.queuedBytes.addAndGet(bytes);
    }

    private void writeUntilStopped() {
        List<Queued> batch = new ArrayList<>(MAX_BATCH);
        boolean busy = false;
        while (isStarted()) {
            if (this.queue.drainTo(batch, MAX_BATCH) == 0) {
                if (busy) {
                    busy = false;
                    LockSupport.parkNanos(LINGER.toNanos());
                    continue;
                }
                Queued first = nextEvent();
                if (first == null) {
                    continue;
                }
                batch.add(first);
                this.queue.drainTo(batch, MAX_BATCH - 1);
            }
            busy = true;
            writeBatch(batch);
        }
        while (this.queue.drainTo(batch, MAX_BATCH) > 0) {
            writeBatch(batch);
        }
    }

    /** Blocks until an event arrives (the first one after a quiet spell wakes the writer) or the idle wait ends. */
    private Queued nextEvent() {
        try {
            return this.queue.poll(IDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            // Only stop() ends the writer; an interrupt from elsewhere must not silence logging.
            addWarn("Log writer thread was interrupted; it keeps writing until the appender is stopped");
            return null;
        }
    }

    private void writeBatch(List<Queued> batch) {
        long released = 0;
        for (Queued queued : batch) {
            write(queued.event());
            released += queued.bytes();
            this.eventsHandled = this.eventsHandled + 1; // one writer thread: no lost update
        }
        batch.clear();
        this.queuedBytes.addAndGet(-released);
        flushAppenders();
    }

    private void write(ILoggingEvent event) {
        ILoggingEvent prepared;
        try {
            prepared = this.writePreparation.apply(event);
        } catch (Throwable ex) {
            // Writing the event unprepared could leak a secret; losing it must not end the writer thread.
            this.dropped.increment();
            addError("Dropped a log event that could not be prepared for writing", ex);
            return;
        }
        try {
            this.appenders.appendLoopOnAppenders(prepared);
        } catch (Throwable ex) {
            // Appenders report exceptions themselves; an Error from one (StackOverflowError in a
            // layout, OutOfMemoryError for a huge line) must not end the writer thread either.
            this.dropped.increment();
            addError("Dropped a log event an appender failed on", ex);
        }
    }

    /** Buffered appenders (the starter's own, and others that do not flush every event) are flushed once per batch. */
    private void flushAppenders() {
        for (Iterator<Appender<ILoggingEvent>> it = this.appenders.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<?> appender
                    && !appender.isImmediateFlush()
                    && appender.getOutputStream() != null) {
                try {
                    appender.getOutputStream().flush();
                } catch (Throwable ex) {
                    addError("Could not flush log appender '" + appender.getName() + "'", ex);
                }
            }
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        // No interrupt: it could abort an appender in the middle of a write (interruptible I/O, locks).
        super.stop();
        awaitWriter();
        if (this.worker.isAlive()) {
            addWarn("Stopped with " + this.queue.size() + " log events not yet written: the writer made no "
                    + "progress for " + FLUSH_TIMEOUT + " or took longer than " + MAX_FLUSH);
        }
        this.appenders.detachAndStopAllAppenders();
    }

    /**
     * Waits for the writer to write what is queued: as long as it keeps writing batches (a loaded machine
     * makes it slow, not stuck), at most {@link #MAX_FLUSH}; a writer without progress for
     * {@link #FLUSH_TIMEOUT} (standard output blocked, say) is given up on.
     */
    private void awaitWriter() {
        long deadline = System.nanoTime() + MAX_FLUSH.toNanos();
        long lastHandled = -1;
        try {
            while (this.worker.isAlive() && System.nanoTime() < deadline) {
                long handled = this.eventsHandled;
                if (handled == lastHandled) {
                    return; // not one event written during a whole FLUSH_TIMEOUT
                }
                lastHandled = handled;
                this.worker.join(FLUSH_TIMEOUT.toMillis());
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Events dropped because the queue was full (in events or bytes) or they could not be written, since this appender was created. */
    public long droppedCount() {
        return this.dropped.sum();
    }

    /** Events that had a text cut to the field length limit, since this appender was created. */
    public long truncatedCount() {
        return this.truncation.truncatedCount();
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
