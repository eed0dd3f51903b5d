package io.sightline.telemetry.logging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
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
    void theWriterSurvivesAnErrorAndCountsTheEventDropped() {
        this.slow.gate.countDown();
        this.async = start(10, event -> {
            if (event.getFormattedMessage().equals("poison")) {
                throw new StackOverflowError("deep recursion in a toString()");
            }
            return event;
        });
        this.async.doAppend(event("poison"));
        this.async.doAppend(event("after"));
        await().until(() -> this.slow.written.contains("after"));
        assertThat(this.async.droppedCount()).isEqualTo(1);
    }

    @Test
    void queueIsBoundedInBytesAsWellAsInEvents() {
        // ~2.3 KB per event by the estimate: one in flight fills most of the 4 KB budget.
        this.async = start(UnaryOperator.identity(), "async.queue-size=100", "async.max-queued-size=4KB");
        String big = "x".repeat(1000);
        this.async.doAppend(event("first " + big));
        await().until(() -> this.slow.entered.getCount() == 0);

        for (int i = 0; i < 5; i++) {
            this.async.doAppend(event("burst " + i + " " + big));
        }

        assertThat(this.async.droppedCount()).isEqualTo(5);
        this.slow.gate.countDown();
        this.async.doAppend(event("small, once the writer caught up"));
        await().until(() -> this.slow.written.size() == 2);
        assertThat(this.slow.written.get(1)).isEqualTo("small, once the writer caught up");
    }

    @Test
    void overlongTextsAreCutWhenLoggedAndCounted() {
        this.slow.gate.countDown();
        this.async = start(UnaryOperator.identity(), "max-field-length=300");
        LoggingEvent longOne =
                LogEvents.event(Level.ERROR, "m".repeat(1000), new IllegalStateException("e".repeat(1000)));
        longOne.addKeyValuePair(new KeyValuePair("body", "b".repeat(1000)));
        longOne.addKeyValuePair(new KeyValuePair("status", 500));
        this.async.doAppend(longOne);
        this.async.doAppend(event("short"));

        await().until(() -> this.slow.events.size() == 2);
        ILoggingEvent written = this.slow.events.get(0);
        assertThat(written.getFormattedMessage()).isEqualTo("m".repeat(300) + FieldTruncation.MARK);
        assertThat(written.getThrowableProxy().getMessage()).isEqualTo("e".repeat(300) + FieldTruncation.MARK);
        assertThat(written.getKeyValuePairs())
                .extracting(pair -> pair.value)
                .containsExactly("b".repeat(300) + FieldTruncation.MARK, 500);
        assertThat(this.slow.events.get(1).getFormattedMessage()).isEqualTo("short");
        assertThat(this.async.truncatedCount()).isEqualTo(1);
    }

    @Test
    void queueSizeMustBePositive() {
        assertThatException()
                .isThrownBy(() -> LogEvents.properties("async.queue-size=0"))
                .havingRootCause()
                .withMessageContaining("sightline.logging.async.queue-size");
    }

    private BoundedAsyncAppender start(int queueSize, UnaryOperator<ILoggingEvent> preparation) {
        return start(preparation, "async.queue-size=" + queueSize);
    }

    private BoundedAsyncAppender start(UnaryOperator<ILoggingEvent> preparation, String... properties) {
        this.slow.setContext(this.context);
        this.slow.start();
        LoggingProperties settings = LogEvents.properties(properties);
        BoundedAsyncAppender appender =
                new BoundedAsyncAppender(settings.async(), settings.maxFieldLength(), preparation);
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

        final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

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
            this.events.add(event);
        }
    }
}
