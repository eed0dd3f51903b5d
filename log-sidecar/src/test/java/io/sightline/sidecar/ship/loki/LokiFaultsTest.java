package io.sightline.sidecar.ship.loki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.sightline.sidecar.Sidecar;
import io.sightline.sidecar.config.MapSettings;
import io.sightline.sidecar.config.SidecarConfig;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.source.FileOpener;
import io.sightline.testsupport.loki.Entry;
import io.sightline.testsupport.loki.FakeLoki;
import io.sightline.testsupport.loki.Response;
import io.sightline.testsupport.loki.Script;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole sidecar (real Loki sink) against {@link FakeLoki} (test-support), a protocol-exact fake of
 * Loki's push endpoint on 127.0.0.1 (no Loki binary runs here), answering the way misbehaving receivers
 * and the proxies in front of them do. Nothing that could be kept may be dropped; no answer may stop a
 * pipeline thread.
 */
class LokiFaultsTest {

    @TempDir
    Path dir;

    private FakeLoki loki;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final Diagnostics diagnostics =
            new Diagnostics(new PrintStream(log, true, StandardCharsets.UTF_8), Diagnostics.Level.DEBUG);
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Sidecar sidecar;

    @BeforeEach
    void startLoki() throws Exception {
        loki = FakeLoki.start();
    }

    @AfterEach
    void stop() {
        if (sidecar != null) {
            sidecar.shutdown(Duration.ofSeconds(5));
        }
        loki.close();
    }

    private void start(Map<String, String> extra) throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Map<String, String> values = new HashMap<>();
        values.put("SIGHTLINE_INPUT_GLOBS", logs + "/*.log");
        values.put("SIGHTLINE_CHECKPOINT_DIR", dir.resolve("checkpoints").toString());
        values.put("SIGHTLINE_POLL_INTERVAL", "20ms");
        values.put("SIGHTLINE_BATCH_MAX_WAIT", "50ms");
        values.put("SIGHTLINE_METRICS_PORT", "0");
        values.put("SIGHTLINE_METRICS_ADDRESS", "127.0.0.1");
        values.put("SIGHTLINE_RETRY_INITIAL_BACKOFF", "20ms");
        values.put("SIGHTLINE_RETRY_MAX_BACKOFF", "200ms");
        values.put("LOKI_URL", loki.url().toString());
        values.putAll(extra);
        MapSettings settings = new MapSettings(values);
        sidecar = new Sidecar(
                SidecarConfig.from(settings),
                new LokiSink(LokiSettings.from(settings), new Identity("shop", "pod-1", "node-1", "app", null)),
                diagnostics,
                FileOpener.DEFAULT,
                () -> fatal.set(log.toString(StandardCharsets.UTF_8)));
        sidecar.start();
    }

    private void write(String... lines) throws Exception {
        Files.writeString(
                Files.createDirectories(dir.resolve("logs")).resolve("app.log"), String.join("\n", lines) + "\n");
    }

    private void awaitEntries(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> fatal.get() != null || loki.entryCount() >= count);
        assertThat(fatal.get()).as("a pipeline thread died").isNull();
    }

    private List<String> lines() {
        return loki.entries().stream().map(Entry::line).toList();
    }

    private double dropped(String reason) {
        return sidecar.metrics().recordsDropped.labelValues("loki", reason).get();
    }

    private double retries(String cause) {
        return sidecar.metrics().sendRetries.labelValues("loki", cause).get();
    }

    private int readyz() throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.managementPort() + "/readyz"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /**
     * {@code Retry-After} values no server should send, one answer each: more seconds than fit in a
     * long's milliseconds, a date in the year 9999, a negative delay, garbage. The sender neither dies
     * nor waits longer than {@code SIGHTLINE_RETRY_MAX_BACKOFF} (200 ms here) for any of them.
     */
    @Test
    void anyRetryAfterNeitherCrashesNorStallsTheSender() throws Exception {
        loki.answerNext(Response.status(503)
                .withHeader("Retry-After", "9223372036854775807")
                .withBody("overloaded"));
        loki.answerNext(Response.status(429)
                .withHeader("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT")
                .withBody("slow down"));
        loki.answerNext(Response.status(503).withHeader("Retry-After", "-5").withBody("overloaded"));
        loki.answerNext(
                Response.status(503).withHeader("Retry-After", "soon, maybe").withBody("overloaded"));
        write("{\"level\":\"INFO\",\"message\":\"one\"}", "two");
        start(Map.of());
        awaitEntries(2);
        assertThat(lines()).containsExactly("{\"level\":\"INFO\",\"message\":\"one\"}", "two");
    }

    /**
     * 401, 403, 404 and 407 say who we are or where we send is wrong, not that the records are bad:
     * the records are held (the file is the buffer) and retried, each refusal counted by its cause,
     * {@code /readyz} fails, and the server's message is logged once per change, not once per attempt.
     */
    @Test
    void refusalsOfWhoWeAreOrWhereWeSendHoldTheRecords() throws Exception {
        write("{\"level\":\"INFO\",\"message\":\"one\"}", "two");
        loki.answerEveryRequest(Response.status(401).withBody("invalid token: expired"));
        start(Map.of("SIGHTLINE_READY_WINDOW", "300ms"));
        await().atMost(Duration.ofSeconds(30)).until(() -> retries("http_401") >= 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> readyz() == 503);
        assertThat(dropped("rejected")).isZero();
        assertThat(loki.entryCount()).isZero();

        loki.answerEveryRequest(Response.status(403).withBody("tenant team-a may not push"));
        await().atMost(Duration.ofSeconds(30)).until(() -> retries("http_403") >= 2);
        loki.answerNext(Response.status(404).withBody("404 page not found"));
        loki.answerNext(Response.status(407)
                .withHeader("Proxy-Authenticate", "Basic realm=\"egress\"")
                .withBody("proxy authentication required"));
        loki.answerLikeLoki();
        awaitEntries(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> readyz() == 200);

        assertThat(lines()).containsExactly("{\"level\":\"INFO\",\"message\":\"one\"}", "two");
        assertThat(dropped("rejected")).isZero();
        assertThat(retries("http_404")).isEqualTo(1);
        assertThat(retries("http_407")).isEqualTo(1);
        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(text.split("invalid token: expired", -1))
                .as("the 401 message, logged once")
                .hasSize(2);
        assertThat(text.split("may not push", -1))
                .as("the 403 message, logged once")
                .hasSize(2);
        assertThat(text).contains("404 page not found").contains("proxy authentication required");
    }

    /**
     * A proxy's body limit (413) splits the batch until the pieces pass; only a record that is refused
     * on its own is dropped, and counted.
     */
    @Test
    void requestTooLargeSplitsTheBatchAndDropsOnlyARecordTooLargeAlone() throws Exception {
        loki.script(Script.bodyLimit(4096));
        String huge = "h".repeat(10_000);
        write("one " + "x".repeat(1000), "two " + "x".repeat(1000), huge, "three " + "x".repeat(1000), "four");
        start(Map.of("LOKI_FORMAT", "json", "SIGHTLINE_BATCH_MAX_WAIT", "500ms"));
        awaitEntries(4);
        await().atMost(Duration.ofSeconds(10)).until(() -> dropped("rejected") == 1);
        assertThat(lines()).hasSize(4).doesNotContain(huge);
        assertThat(lines().get(3)).isEqualTo("four");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("413 Request Entity Too Large");
    }

    /**
     * Loki stores the valid entries of a push and answers 400 naming the refused ones: those are
     * dropped and counted, the stored ones counted as sent, and nothing is sent twice.
     */
    @Test
    void aPartialRefusalCountsTheRefusedEntriesAndResendsNothing() throws Exception {
        long now = System.currentTimeMillis();
        String fresh = "{\"@timestamp\":\"" + java.time.Instant.ofEpochMilli(now) + "\",\"message\":\"fresh\"}";
        String ancient =
                "{\"@timestamp\":\"" + java.time.Instant.ofEpochMilli(now - 7_200_000) + "\",\"message\":\"old\"}";
        // a first push makes the stream's newest entry "now"; two hours back is beyond Loki's window
        write(fresh);
        start(Map.of("SIGHTLINE_BATCH_MAX_WAIT", "200ms"));
        awaitEntries(1);
        Files.writeString(
                dir.resolve("logs/app.log"),
                fresh + "\n" + ancient + "\n" + "{\"message\":\"kept\"}\n" + ancient.replace("old", "older") + "\n");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fatal.get() != null || dropped("rejected") == 2 && loki.entryCount() == 2);
        assertThat(lines()).containsExactly(fresh, "{\"message\":\"kept\"}");
        assertThat(sidecar.metrics().recordsSent.labelValues("loki").get()).isEqualTo(2);
        assertThat(loki.requests()).hasSize(2);
    }

    /**
     * A server (or proxy) that sends its headers and then one byte of the body every 50 ms holds the
     * only sender thread for as long as it likes, unless the timeout covers the whole exchange: it
     * does, and the batch is retried.
     */
    @Test
    void aTricklingResponseCannotHoldTheSenderLongerThanTheTimeout() throws Exception {
        loki.answerNext(Response.trickle(400, 100_000_000, Duration.ofMillis(50)));
        write("arrives after the stalled attempt");
        start(Map.of("LOKI_TIMEOUT", "1s"));
        awaitEntries(1);
        assertThat(retries("timeout")).isEqualTo(1);
    }

    /** The sink itself can be called directly too: one exchange, bounded by the timeout. */
    @Test
    void oneTricklingExchangeEndsWithAnIOExceptionWithinTheTimeout() throws Exception {
        loki.answerNext(Response.trickle(200, 100_000_000, Duration.ofMillis(50)));
        LokiSink sink = new LokiSink(
                LokiSettings.from(new MapSettings(Map.of("LOKI_URL", loki.url().toString(), "LOKI_TIMEOUT", "1s"))),
                new Identity("shop", "pod-1", "node-1", "app", null));
        long start = System.nanoTime();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> sink.send(List.of(new io.sightline.sidecar.parse.LogRecord(
                                "x",
                                1,
                                null,
                                null,
                                null,
                                null,
                                null,
                                new io.sightline.sidecar.source.SourcePosition("f", 0, 2)))))
                .isInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
}
