package io.sightline.telemetry.logging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The bounded queue in front of every appender: it drops and counts instead of blocking. */
class BoundedAsyncAppenderTest {

    /** Generous bound that only catches a caller that blocks; not a speed target. */
    private static final Duration NOT_BLOCKED = Duration.ofSeconds(10);

    private final LoggerContext context = LogEvents.newContext();

    private final GatedAppender slow = new GatedAppender();

    private BoundedAsyncAppender async;

    @AfterEach
    void stop() {
        this.slow.gate.countDown();
        if (this.async != null) {
            this.async.stop();
        }
    }

    @Test
    void fullQueueDropsAndCountsWithoutBlockingTheCaller() {
        this.async = start(2, UnaryOperator.identity());
        this.async.doAppend(event("first"));
        // The writer thread now holds "first" and waits at the gate: the queue is empty.
        await().until(() -> this.slow.entered.getCount() == 0);

        assertTimeoutPreemptively(NOT_BLOCKED, () -> {
            for (int i = 0; i < 10; i++) {
                this.async.doAppend(event("burst " + i));
            }
        });

        assertThat(this.async.droppedCount()).isEqualTo(8);
        this.slow.gate.countDown();
        await().until(() -> this.slow.written.size() == 3);
        assertThat(this.slow.written).containsExactly("first", "burst 0", "burst 1");
    }

    @Test
    void nothingIsDroppedBelowCapacityWhateverTheLevel() {
        this.slow.gate.countDown();
        this.async = start(100, UnaryOperator.identity());
        for (int i = 0; i < 50; i++) {
            this.async.doAppend(LogEvents.event((i % 2 == 0) ? Level.DEBUG : Level.TRACE, "event " + i, null));
        }
        await().until(() -> this.slow.written.size() == 50);
        assertThat(this.async.droppedCount()).isZero();
    }

    @Test
    void stopWritesWhatIsStillQueued() {
        this.async = start(100, UnaryOperator.identity());
        for (int i = 0; i < 20; i++) {
            this.async.doAppend(event("event " + i));
        }
        this.slow.gate.countDown();
        this.async.stop();
        assertThat(this.slow.written).hasSize(20);
        assertThat(this.slow.isStarted())
                .as("attached appenders are stopped after the flush")
                .isFalse();
    }

    @Test
    void eventThatCannotBePreparedIsDroppedAndCountedAndWritingContinues() {
        this.slow.gate.countDown();
        this.async = start(10, event -> {
            if (event.getFormattedMessage().equals("poison")) {
                throw new IllegalStateException("masking bug");
            }
            return event;
        });
        this.async.doAppend(event("poison"));
        this.async.doAppend(event("after"));
        await().until(() -> this.slow.written.contains("after"));
        assertThat(this.async.droppedCount()).isEqualTo(1);
        assertThat(this.slow.written).containsExactly("after");
    }

    @Test
    void queueSizeMustBePositive() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new BoundedAsyncAppender(0, UnaryOperator.identity()))
                .withMessageContaining("queueSize");
    }

    private BoundedAsyncAppender start(int queueSize, UnaryOperator<ILoggingEvent> preparation) {
        this.slow.setContext(this.context);
        this.slow.start();
        BoundedAsyncAppender appender = new BoundedAsyncAppender(queueSize, preparation);
        appender.setContext(this.context);
        appender.addAppender(this.slow);
        appender.start();
        return appender;
    }

    private static ILoggingEvent event(String message) {
        return LogEvents.event(Level.INFO, message, null);
    }

    /** An appender that blocks its writer thread until the gate opens, like a stalled disk or pipe. */
    static final class GatedAppender extends AppenderBase<ILoggingEvent> {

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch gate = new CountDownLatch(1);

        final List<String> written = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            this.entered.countDown();
            try {
                this.gate.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while gated", ex);
            }
            this.written.add(event.getFormattedMessage());
        }
    }
}
