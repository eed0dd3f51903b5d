package io.sightline.telemetry.logging;

import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import io.sightline.telemetry.masking.MaskedLoggingEvent;
import io.sightline.telemetry.masking.Masker;
import io.sightline.telemetry.support.ServiceIdentity;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import static io.sightline.telemetry.logging.LogEvents.encode;
import static io.sightline.telemetry.logging.LogEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/** The JSON record of the telemetry contract, section 2, as {@link JsonLogEncoder} writes it. */
class JsonLogEncoderTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static final String SPAN_ID = "00f067aa0ba902b7";

    @Test
    void plainRecordHasExactlyTheAlwaysPresentFields() {
        Map<String, Object> record = encode(event(Level.INFO, "link {} added", null, 42));

        assertThat(record)
                .containsOnlyKeys(
                        "@timestamp", "level", "logger", "thread", "message", "service_name", "service_version");
        assertThat((String) record.get("@timestamp")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(record)
                .containsEntry("level", "INFO")
                .containsEntry("logger", "io.sightline.demo.LinkService")
                .containsEntry("thread", Thread.currentThread().getName())
                .containsEntry("message", "link 42 added")
                .containsEntry("service_name", "links")
                .containsEntry("service_version", "1.4.2");
    }

    @Test
    void timestampIsUtcWithMilliseconds() {
        LoggingEvent event = event(Level.INFO, "x", null);
        event.setInstant(java.time.Instant.parse("2026-11-27T11:20:00.123456Z"));
        assertThat(encode(event)).containsEntry("@timestamp", "2026-11-27T11:20:00.123Z");
    }

    @Test
    void unknownVersionIsLeftOut() {
        JsonLogEncoder encoder = LogEvents.startedEncoder(new ServiceIdentity("links", null));
        Map<String, Object> record = LogEvents.parse(
                new String(encoder.encode(event(Level.INFO, "x", null)), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(record).containsEntry("service_name", "links").doesNotContainKey("service_version");
    }

    @Test
    void anEncoderStartedOnFirstRecordWritesTheSameRecordAsOneStartedInAdvance() {
        LoggingEvent event = event(Level.WARN, "link {} added", new IllegalStateException("boom"), 42);
        JsonLogEncoder deferred =
                JsonLogEncoder.startedOnFirstRecord(LogEvents.IDENTITY, new ch.qos.logback.classic.LoggerContext());
        assertThat(deferred.isStarted()).isFalse();

        Map<String, Object> record =
                LogEvents.parse(new String(deferred.encode(event), java.nio.charset.StandardCharsets.UTF_8));

        assertThat(deferred.isStarted()).isTrue();
        assertThat(record).isEqualTo(encode(event));
    }

    @Test
    void micrometerTracingMdcKeysBecomeTraceAndSpanIdOnce() {
        LoggingEvent event = event(Level.INFO, "handled", null);
        event.setMDCPropertyMap(Map.of("traceId", TRACE_ID, "spanId", SPAN_ID));

        Map<String, Object> record = encode(event);

        assertThat(record)
                .containsEntry("trace_id", TRACE_ID)
                .containsEntry("span_id", SPAN_ID)
                .doesNotContainKeys("traceId", "spanId");
    }

    @Test
    void traceIdsUnderTheContractNamesAlreadyArePassedThrough() {
        LoggingEvent event = event(Level.INFO, "handled", null);
        event.setMDCPropertyMap(Map.of("trace_id", TRACE_ID, "span_id", SPAN_ID));

        assertThat(encode(event)).containsEntry("trace_id", TRACE_ID).containsEntry("span_id", SPAN_ID);
    }

    @Test
    void mdcEntriesAndKeyValuePairsAreTopLevelFields() {
        LoggingEvent event = event(Level.WARN, "slow request", null);
        event.setMDCPropertyMap(Map.of("user_id", "alice", "message", "an MDC entry cannot replace the message"));
        event.addKeyValuePair(new KeyValuePair("duration_ms", 1234));
        event.addKeyValuePair(new KeyValuePair("route", "/links/{id}"));

        Map<String, Object> record = encode(event);

        assertThat(record)
                .containsEntry("user_id", "alice")
                .containsEntry("duration_ms", 1234)
                .containsEntry("route", "/links/{id}")
                .containsEntry("message", "slow request");
    }

    @Test
    void exceptionFieldsPutTheRootCauseFirst() {
        IllegalStateException error =
                new IllegalStateException("cannot save link", new java.io.IOException("disk full"));

        Map<String, Object> record = encode(event(Level.ERROR, "request failed", error));

        assertThat(record)
                .containsEntry("error_type", "java.lang.IllegalStateException")
                .containsEntry("error_message", "cannot save link")
                .containsKeys("stack_trace", "stack_hash");
        String stackTrace = (String) record.get("stack_trace");
        assertThat(stackTrace).startsWith("java.io.IOException: disk full");
        assertThat(stackTrace.indexOf("java.io.IOException")).isLessThan(stackTrace.indexOf("IllegalStateException"));
        assertThat((String) record.get("stack_hash")).matches("[0-9a-f]{8}");
    }

    @Test
    void stackHashGroupsTheSameBugAndSeparatesDifferentOnes() {
        String first = stackHash(Bugs.saveLink("link 1"));
        String sameBugAgain = stackHash(Bugs.saveLink("link 2 with another message"));
        String otherBug = stackHash(Bugs.deleteLink());

        assertThat(first).isEqualTo(sameBugAgain);
        assertThat(otherBug).isNotEqualTo(first);
    }

    @Test
    void maskingReachesMessageMdcKeyValuesAndExceptions() {
        LoggingEvent event = event(
                Level.ERROR,
                "login with password={}",
                new IllegalArgumentException(
                        "bad token=abc123secret",
                        new IllegalStateException("jdbc:postgresql://db/app?password=hunter2")),
                "hunter2");
        event.setMDCPropertyMap(Map.of("session", "s-8f14e45f", "client", "Bearer abcdef123456789"));
        event.addKeyValuePair(new KeyValuePair("api_key", "k-123"));
        event.addKeyValuePair(new KeyValuePair("card", "4111 1111 1111 1111"));
        event.prepareForDeferredProcessing();

        Map<String, Object> record = encode(MaskedLoggingEvent.of(event, Masker.defaults()));

        assertThat(record)
                .containsEntry("message", "login with password=****")
                .containsEntry("session", "****")
                .containsEntry("client", "Bearer ****")
                .containsEntry("api_key", "****")
                .containsEntry("card", "****")
                .containsEntry("error_message", "bad token=****");
        assertThat((String) record.get("stack_trace"))
                .contains("password=****")
                .contains("token=****")
                .doesNotContain("hunter2")
                .doesNotContain("abc123secret");
        assertThat(record.get("stack_hash")).isEqualTo(stackHash(event.getThrowableProxy()));
    }

    /**
     * An object whose {@code toString()} leaves a secret out but whose getters expose it: written as its
     * (masked) text, never serialised field by field.
     */
    @Test
    void objectKeyValuesAreWrittenAsTheirMaskedTextNotThroughTheirGetters() {
        LoggingEvent event = event(Level.INFO, "connected", null);
        event.addKeyValuePair(new KeyValuePair("datasource", new DataSourceSettings("db.internal", "hunter2")));
        event.addKeyValuePair(new KeyValuePair("target", new DataSourceSettings("token=abc123", "hunter2")));
        event.prepareForDeferredProcessing();

        Map<String, Object> record = encode(MaskedLoggingEvent.of(event, Masker.defaults()));

        assertThat(record)
                .containsEntry("datasource", "DataSource[host=db.internal]")
                .containsEntry("target", "DataSource[host=token=****]");
        assertThat(record.toString()).doesNotContain("hunter2").doesNotContain("abc123");
    }

    /** Hides its password from {@code toString()}, but a JSON serialiser reading getters finds it. */
    public static final class DataSourceSettings {

        private final String host;

        private final String password;

        DataSourceSettings(String host, String password) {
            this.host = host;
            this.password = password;
        }

        public String getHost() {
            return this.host;
        }

        public String getPassword() {
            return this.password;
        }

        @Override
        public String toString() {
            return "DataSource[host=" + this.host + "]";
        }
    }

    private static String stackHash(Throwable error) {
        return stackHash(new ThrowableProxy(error));
    }

    private static String stackHash(ch.qos.logback.classic.spi.IThrowableProxy proxy) {
        return StackHashJsonProvider.hash(proxy);
    }

    /** Two code paths that fail: the same path must hash the same, whatever the message. */
    static final class Bugs {

        static Throwable saveLink(String message) {
            try {
                throw new IllegalStateException(message);
            } catch (IllegalStateException ex) {
                return ex;
            }
        }

        static Throwable deleteLink() {
            try {
                throw new IllegalStateException("link 1");
            } catch (IllegalStateException ex) {
                return ex;
            }
        }
    }
}
