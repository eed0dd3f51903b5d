package io.sightline.sidecar.ship;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.sightline.sidecar.checkpoint.Checkpoints;
import io.sightline.sidecar.config.MapSettings;
import io.sightline.sidecar.config.SidecarConfig;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.metrics.SidecarMetrics;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.source.SourcePosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeliveryTest {

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final Diagnostics diagnostics =
            new Diagnostics(new PrintStream(log, true, StandardCharsets.UTF_8), Diagnostics.Level.DEBUG);
    private final SidecarMetrics metrics = new SidecarMetrics();

    @Test
    void backoffGrowsWithJitterUpToTheMaximumAndHonoursRetryAfter() throws Exception {
        Delivery delivery = delivery(
                Map.of("SIGHTLINE_RETRY_INITIAL_BACKOFF", "100ms", "SIGHTLINE_RETRY_MAX_BACKOFF", "1s"),
                batch -> SendResult.ok());
        for (int i = 0; i < 50; i++) {
            assertThat(delivery.backoff(1, null)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(delivery.backoff(3, null)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(delivery.backoff(20, null)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(delivery.backoff(1, Duration.ofMillis(700))).isEqualTo(Duration.ofMillis(700));
        }
    }

    /**
     * Whatever a server sends as {@code Retry-After} (more seconds than a long holds in milliseconds,
     * a date in the year 9999, a negative delay), the wait is never longer than the maximum back-off
     * and computing it never throws.
     */
    @Test
    void retryAfterOfAnyValueNeverWaitsLongerThanTheMaximumBackoff() throws Exception {
        Delivery delivery = delivery(
                Map.of("SIGHTLINE_RETRY_INITIAL_BACKOFF", "100ms", "SIGHTLINE_RETRY_MAX_BACKOFF", "1s"),
                batch -> SendResult.ok());
        for (Duration asked : List.of(
                Duration.ofSeconds(Long.MAX_VALUE),
                Duration.ofDays(365L * 8000),
                Duration.ofSeconds(5),
                Duration.ofSeconds(-5),
                Duration.ofSeconds(Long.MIN_VALUE))) {
            assertThat(delivery.backoff(1, asked))
                    .as("Retry-After %s", asked)
                    .isBetween(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void givesUpAfterTheConfiguredAttemptsAndCountsTheDrop() throws Exception {
        Delivery delivery = delivery(
                Map.of("SIGHTLINE_RETRY_MAX_ATTEMPTS", "3"), batch -> SendResult.retryAll(batch, "http_500", null));
        Thread sender = new Thread(delivery);
        sender.start();
        assertThat(delivery.offer(record())).isTrue();
        assertThat(delivery.offer(record())).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> metrics.recordsDropped
                                .labelValues("test", SidecarMetrics.DROP_RETRIES_EXHAUSTED)
                                .get()
                        == 2);
        assertThat(metrics.sendRetries.labelValues("test", "http_500").get()).isEqualTo(3);
        assertThat(delivery.inFlightBytes()).isZero();
        delivery.closeIntake();
        assertThat(delivery.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(delivery.offer(record())).as("no records after shutdown").isFalse();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("SIGHTLINE_RETRY_MAX_ATTEMPTS");
    }

    /**
     * A sink that throws on one record (a bug in an encoder, say) must neither stop the sender nor
     * hold every other record back: the batch is split until that record is alone, and only it is
     * dropped, counted as {@code unsendable}. The same for an {@link Error} a record can cause (a stack
     * overflow): before, it ended the sender thread, and the process restarted on the same checkpoint,
     * looping on the same record.
     */
    @ParameterizedTest
    @ValueSource(strings = {"exception", "stack overflow"})
    void aSinkFailingOnOneRecordDropsOnlyThatRecord(String failure) throws Exception {
        List<String> accepted = new CopyOnWriteArrayList<>();
        Delivery delivery = delivery(Map.of(), batch -> {
            if (batch.stream().anyMatch(record -> record.line().equals("poison"))) {
                if (failure.equals("exception")) {
                    throw new IllegalStateException("cannot encode this one");
                }
                throw new StackOverflowError("cannot encode this one");
            }
            batch.forEach(record -> accepted.add(record.line()));
            return SendResult.ok();
        });
        Thread sender = new Thread(delivery);
        sender.start();
        for (String line : List.of("a", "b", "poison", "c", "d")) {
            assertThat(delivery.offer(record(line))).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 4);
        assertThat(accepted).containsExactly("a", "b", "c", "d");
        assertThat(metrics.recordsDropped
                        .labelValues("test", SidecarMetrics.DROP_UNSENDABLE)
                        .get())
                .isEqualTo(1);
        assertThat(sender.isAlive()).isTrue();
        delivery.closeIntake();
        assertThat(delivery.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("cannot encode this one");
    }

    /**
     * A sink whose classes or native library cannot load fails every record alike, and a restart would not cure it:
     * nothing is dropped, the records are held and retried, readiness says why, and they go out once it loads.
     */
    @Test
    void aSinkWhoseCodeCannotLoadHoldsEveryRecordUntilItCan() throws Exception {
        List<String> accepted = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean loads = new AtomicBoolean();
        Delivery delivery = delivery(Map.of("SIGHTLINE_READY_WINDOW", "1ms"), batch -> {
            attempts.incrementAndGet();
            if (!loads.get()) {
                throw new UnsatisfiedLinkError("no libsnappyjava in java.library.path");
            }
            batch.forEach(record -> accepted.add(record.line()));
            return SendResult.ok();
        });
        Thread sender = new Thread(delivery);
        sender.start();
        for (String line : List.of("a", "b", "c")) {
            assertThat(delivery.offer(record(line))).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 3 && delivery.notReadyReason() != null);
        assertThat(delivery.notReadyReason()).contains("libsnappyjava");
        assertThat(sender.isAlive()).isTrue();
        loads.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 3);
        assertThat(accepted).containsExactly("a", "b", "c");
        for (String reason : SidecarMetrics.DROP_REASONS) {
            assertThat(metrics.recordsDropped.labelValues("test", reason).get())
                    .as(reason)
                    .isZero();
        }
        assertThat(metrics.sendRetries
                        .labelValues("test", BatchSender.CAUSE_ERROR)
                        .get())
                .isGreaterThanOrEqualTo(3);
        delivery.closeIntake();
        assertThat(delivery.drain(Duration.ofSeconds(5))).isTrue();
    }

    private interface Behaviour {
        SendResult send(List<LogRecord> batch);
    }

    private Delivery delivery(Map<String, String> settings, Behaviour behaviour) throws Exception {
        Map<String, String> values = new HashMap<>(settings);
        values.putIfAbsent("SIGHTLINE_RETRY_INITIAL_BACKOFF", "10ms");
        values.putIfAbsent("SIGHTLINE_RETRY_MAX_BACKOFF", "20ms");
        values.put("SIGHTLINE_BATCH_MAX_WAIT", "10ms");
        SidecarConfig config = SidecarConfig.from(new MapSettings(values));
        Sink sink = new Sink() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public SendResult send(List<LogRecord> batch) {
                return behaviour.send(batch);
            }
        };
        return new Delivery(config, sink, new Checkpoints(null, diagnostics), metrics, diagnostics);
    }

    private static LogRecord record() {
        return record("line");
    }

    private static LogRecord record(String line) {
        return new LogRecord(line, 1, null, null, null, null, null, new SourcePosition("f", 0, 5));
    }
}
