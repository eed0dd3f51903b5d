package io.sightline.sidecar.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import io.sightline.sidecar.Sidecar;
import io.sightline.sidecar.TestSupport;
import io.sightline.sidecar.config.ConfigException;
import io.sightline.sidecar.metrics.SidecarMetrics;
import io.sightline.sidecar.node.meta.PodMetadata;
import io.sightline.sidecar.node.meta.PodMetadataSource;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.source.FileOpener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The node mode end to end in one JVM: a {@code /var/log/pods} tree written as containerd (CRI) and Docker
 * (json-file) write it, the kubelet's rotations by rename, the agent's own pod and excluded containers; the records
 * reaching the sink whole, per stream, with the container's identity. No kubelet or runtime runs here: the files
 * are written byte for byte in their documented formats.
 */
class NodeModeTest {

    private static final String UID = "1f0a3c52-6b9e-4d7a-9c1e-0d2f3a4b5c6d";
    private static final String OTHER_UID = "2e1b4d63-7cae-4e8b-ad2f-1e3a4b5c6d7e";
    private static final String TIME = "2026-11-30T04:20:00.123456789Z";
    private static final long TIME_NANOS = 1_796_012_400_123_456_789L;
    private static final String LOST_BEFORE_READ =
            "sightline_sidecar_records_dropped_total{reason=\"lost_before_read\",sink=\"collecting\"}";
    private static final Identity AGENT = new Identity("sightline-node", "agent-x1", "node-a", "agent", "prod");

    @TempDir
    Path dir;

    private final TestSupport.CollectingSink sink = new TestSupport.CollectingSink();
    private final TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
    private Sidecar agent;
    /** How the agent opens files: a test may make the kubelet rotate at that moment. */
    private FileOpener opener = FileOpener.DEFAULT;

    private Path pods() {
        return dir.resolve("pods");
    }

    private Path container(String namespace, String pod, String uid, String container) throws IOException {
        return Files.createDirectories(
                pods().resolve(namespace + "_" + pod + "_" + uid).resolve(container));
    }

    private Sidecar start(Map<String, String> extra, PodMetadataSource metadata) throws IOException {
        Map<String, String> settings = TestSupport.settings(dir.resolve("unused"), dir.resolve("checkpoint"));
        settings.remove("SIGHTLINE_INPUT_GLOBS");
        settings.put("SIGHTLINE_MODE", "node");
        settings.put("SIGHTLINE_NODE_PODS_DIR", pods().toString());
        settings.put("SIGHTLINE_NODE_READ_FROM", "beginning");
        settings.put("SIGHTLINE_METRICS_ENABLED", "false");
        settings.put("SIGHTLINE_ROTATE_WAIT", "1s");
        settings.putAll(extra);
        agent = new Sidecar(
                TestSupport.config(settings),
                sink,
                diagnostics.diagnostics,
                opener,
                new ContainerLogFiles(pods(), AGENT, metadata),
                new SidecarMetrics(),
                () -> {
                    throw new AssertionError("pipeline thread died: " + diagnostics.text());
                });
        agent.start();
        return agent;
    }

    private Sidecar start() throws IOException {
        return start(Map.of(), PodMetadataSource.NONE);
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.shutdown(Duration.ofSeconds(10));
        }
    }

    private static String cri(String stream, String tag, String message) {
        return TIME + " " + stream + " " + tag + " " + message + "\n";
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private List<LogRecord> awaitRecords(int count) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(sink.count())
                .as("records; diagnostics:%n%s", diagnostics.text())
                .isGreaterThanOrEqualTo(count));
        return sink.records();
    }

    /** Ships the first {@code count} lines of {@code log}, then stops: the checkpoint is at their end. */
    private void shipThenStop(Path log, int count) throws IOException {
        append(log, lines(0, count));
        start();
        awaitRecords(count);
        agent.shutdown(Duration.ofSeconds(10));
        agent = null;
    }

    private List<String> lines() {
        return sink.records().stream().map(LogRecord::line).toList();
    }

    private List<String> linesOf(String pod) {
        return sink.records().stream()
                .filter(r -> pod.equals(r.origin().pod()))
                .map(LogRecord::line)
                .toList();
    }

    private List<String> lines(String stream) {
        return sink.records().stream()
                .filter(r -> stream.equals(r.stream()))
                .map(LogRecord::line)
                .toList();
    }

    private static String text(int length, char fill) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; text.length() < length; i++) {
            text.append(fill).append(i);
        }
        return text.substring(0, length);
    }

    /** Fragments as the runtime cuts them: every {@code size} bytes a P line, the rest an F line. */
    private static String fragments(String stream, String message, int size) {
        StringBuilder lines = new StringBuilder();
        int at = 0;
        while (message.length() - at > size) {
            lines.append(cri(stream, "P", message.substring(at, at + size)));
            at += size;
        }
        return lines.append(cri(stream, "F", message.substring(at))).toString();
    }

    @Test
    void criLinesOf8KB16KiBAnd300KBArriveWholeWithTheirStreamTimeAndContainer() throws IOException {
        Path log = container("shop", "checkout-7d9f-x2x", UID, "app").resolve("0.log");
        String crio = text(8000 + 500, 'c'); // CRI-O cuts at 8 KB
        String exact = text(16 * 1024, 'e');
        String huge = text(300 * 1000, 'h');
        append(
                log,
                fragments("stdout", crio, 8192)
                        + fragments("stdout", exact, 16 * 1024)
                        + fragments("stdout", huge, 16 * 1024));
        // the merged line counts against the line limit (256 KiB by default: see the truncation test)
        start(Map.of("SIGHTLINE_MAX_LINE_BYTES", "300000"), PodMetadataSource.NONE);

        List<LogRecord> records = awaitRecords(3);

        assertThat(records).extracting(LogRecord::line).containsExactly(crio, exact, huge);
        LogRecord first = records.get(0);
        assertThat(first.origin()).isEqualTo(new Identity("shop", "checkout-7d9f-x2x", "node-a", "app", "prod"));
        assertThat(first.stream()).isEqualTo("stdout");
        assertThat(first.serviceName())
                .as("no pod metadata: the container's name")
                .isEqualTo("app");
        assertThat(first.timestampNanos()).isEqualTo(TIME_NANOS);
    }

    /** A merged line longer than SIGHTLINE_MAX_LINE_BYTES is cut to it and counted as truncated. */
    @Test
    void aMergedLineBeyondTheLimitIsTruncatedAndCounted() throws IOException {
        Path log = container("shop", "checkout-7d9f-x2x", UID, "app").resolve("0.log");
        String huge = text(300 * 1000, 'h');
        append(log, fragments("stdout", huge, 16 * 1024) + cri("stdout", "F", "next"));
        start();

        List<LogRecord> records = awaitRecords(2);

        assertThat(records).extracting(LogRecord::line).containsExactly(huge.substring(0, 256 * 1024), "next");
        assertThat(TestSupport.metric(
                        agent,
                        "sightline_sidecar_lines_truncated_total{input=\"" + pods().resolve("*/*/*.log*") + "\"}"))
                .isEqualTo(1.0);
    }

    /** stdout and stderr fragments interleave in one file: each stream's line is merged from its own fragments. */
    @Test
    void interleavedStreamsAreMergedPerStream() throws IOException {
        Path log = container("shop", "checkout-7d9f-x2x", UID, "app").resolve("0.log");
        String out = text(40_000, 'o');
        String err = text(20_000, 'e');
        StringBuilder file = new StringBuilder();
        file.append(cri("stdout", "P", out.substring(0, 16384)));
        file.append(cri("stderr", "P", err.substring(0, 16384)));
        file.append(cri("stdout", "P", out.substring(16384, 32768)));
        file.append(cri("stderr", "F", err.substring(16384)));
        file.append(cri("stderr", "F", "a short error line"));
        file.append(cri("stdout", "F", out.substring(32768)));
        append(log, file.toString());
        start();

        awaitRecords(3);

        assertThat(lines("stdout")).containsExactly(out);
        assertThat(lines("stderr")).containsExactly(err, "a short error line");
    }

    @Test
    void dockerJsonFileLinesWithPartialsAndTheirStream() throws IOException {
        Path log = container("web", "nginx-5c7-abc", UID, "nginx").resolve("0.log");
        append(
                log,
                "{\"log\":\"GET / 200\\n\",\"stream\":\"stdout\",\"time\":\"" + TIME + "\"}\n"
                        + "{\"log\":\"first half \",\"stream\":\"stderr\",\"time\":\"" + TIME + "\"}\n"
                        + "{\"log\":\"second half\\n\",\"stream\":\"stderr\",\"time\":\"" + TIME + "\"}\n");
        start();

        awaitRecords(2);

        assertThat(lines("stdout")).containsExactly("GET / 200");
        assertThat(lines("stderr")).containsExactly("first half second half");
    }

    /** A telemetry-starter record keeps its own time; plain text gets the runtime's. */
    @Test
    void aJsonRecordKeepsItsOwnTimestampAndServiceName() throws IOException {
        Path log = container("shop", "checkout-7d9f-x2x", UID, "app").resolve("0.log");
        append(
                log,
                cri(
                        "stdout",
                        "F",
                        "{\"@timestamp\":\"2026-11-30T04:00:00.000Z\",\"level\":\"INFO\",\"service_name\":\"checkout\","
                                + "\"message\":\"paid\"}"));
        start();

        LogRecord record = awaitRecords(1).get(0);

        assertThat(record.serviceName()).isEqualTo("checkout");
        assertThat(record.level()).isEqualTo("INFO");
        assertThat(record.timestampNanos()).isEqualTo(1_796_011_200_000_000_000L);
    }

    @Test
    void theAgentsOwnPodTemporaryFilesAndOtherPathsAreNeverRead() throws IOException {
        append(container("sightline-node", "agent-x1", UID, "agent").resolve("0.log"), cri("stdout", "F", "own"));
        Path shipped = container("shop", "checkout-7d9f-x2x", OTHER_UID, "app");
        append(shipped.resolve("0.log.20261130-041500.tmp"), cri("stdout", "F", "being compressed"));
        append(
                Files.createDirectories(pods().resolve("not-a-pod-dir").resolve("x"))
                        .resolve("0.log"),
                "stray\n");
        append(shipped.resolve("0.log"), cri("stdout", "F", "shipped"));
        start();

        awaitRecords(1);
        // a few more polls: nothing else arrives
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);

        assertThat(sink.records()).extracting(LogRecord::line).containsExactly("shipped");
    }

    @Test
    void aPodOrAContainerAnnotatedExcludeIsNotRead() throws IOException {
        append(container("shop", "excluded-pod", UID, "app").resolve("0.log"), cri("stdout", "F", "pod excluded"));
        Path pod = pods().resolve("shop_mixed_" + OTHER_UID);
        append(Files.createDirectories(pod.resolve("app")).resolve("0.log"), cri("stdout", "F", "app shipped"));
        append(Files.createDirectories(pod.resolve("log-sidecar")).resolve("0.log"), cri("stdout", "F", "sidecar"));
        Map<String, PodMetadata> pods = Map.of(
                UID,
                PodMetadata.of("shop", "excluded-pod", UID, Map.of(), Map.of("sightline.io/logs", "exclude")),
                OTHER_UID,
                PodMetadata.of(
                        "shop",
                        "mixed",
                        OTHER_UID,
                        Map.of("app.kubernetes.io/name", "checkout"),
                        Map.of("sightline.io/logs.app", "Exclude ")));
        // the log-sidecar component excludes the container it ships ("app"), so its own output goes through
        start(Map.of(), new FixedMetadata(pods));

        LogRecord record = awaitRecords(1).get(0);
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);

        assertThat(sink.records()).extracting(LogRecord::line).containsExactly("sidecar");
        assertThat(record.serviceName()).as("from the pod's label").isEqualTo("checkout");
        assertThat(record.origin().container()).isEqualTo("log-sidecar");
    }

    /** The kubelet renames 0.log to 0.log.<stamp>; the runtime writes a little more to it, then to a new 0.log. */
    @Test
    void aKubeletRotationWhileRunningLosesAndRepeatsNothing() throws IOException {
        Path dirOfContainer = container("shop", "checkout-7d9f-x2x", UID, "app");
        Path log = dirOfContainer.resolve("0.log");
        append(log, lines(0, 100));
        start();
        awaitRecords(100);

        Path rotated = dirOfContainer.resolve("0.log.20261130-042000");
        Files.move(log, rotated);
        append(rotated, lines(100, 110)); // before the runtime reopened
        append(log, lines(110, 200));

        awaitRecords(200);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(sink.records()).extracting(LogRecord::line).containsExactlyElementsOf(expected(0, 200));
    }

    /** A burst beyond the rotation size before the agent's first listing: the rotated file is read from its start. */
    @Test
    void aFileRotatedBeforeTheAgentFirstSawItIsReadWhole() throws IOException {
        start();
        Path dirOfContainer = container("shop", "checkout-7d9f-x2x", UID, "app");
        Path log = dirOfContainer.resolve("0.log");
        append(log, lines(0, 30));
        Files.move(log, dirOfContainer.resolve("0.log.20261130-042000"));
        append(log, lines(30, 40));

        awaitRecords(40);
        assertThat(sink.records()).extracting(LogRecord::line).containsExactlyInAnyOrderElementsOf(expected(0, 40));
    }

    /**
     * The same rotation at the one moment that lost lines: the agent listed {@code 0.log}, and the kubelet renamed it
     * and the runtime wrote a new {@code 0.log} before the agent opened the path (the opener makes them happen then).
     * The listed file is read whole under its rotated name, the new file once.
     */
    @Test
    void aFileRotatedBetweenTheListingAndTheOpeningIsReadWholeAndTheNewFileOnce() throws IOException {
        Path dirOfContainer = container("shop", "checkout-7d9f-x2x", UID, "app");
        Path log = dirOfContainer.resolve("0.log");
        append(log, lines(0, 30));
        AtomicBoolean rotated = new AtomicBoolean();
        opener = (path, followLinks) -> {
            if (path.getFileName().toString().equals("0.log") && rotated.compareAndSet(false, true)) {
                Files.move(log, dirOfContainer.resolve("0.log.20261130-042000"));
                append(log, lines(30, 40));
            }
            return FileOpener.DEFAULT.open(path, followLinks);
        };
        start();

        awaitRecords(40);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(rotated).as("rotated between the listing and the opening").isTrue();
        assertThat(sink.records()).extracting(LogRecord::line).containsExactlyInAnyOrderElementsOf(expected(0, 40));
    }

    /** Stopped, then the kubelet rotated: the rest of the rotated file is read from the checkpoint, then the new. */
    @Test
    void aKubeletRotationWhileStoppedResumesFromTheCheckpoint() throws IOException {
        Path dirOfContainer = container("shop", "checkout-7d9f-x2x", UID, "app");
        Path log = dirOfContainer.resolve("0.log");
        shipThenStop(log, 50);

        append(log, lines(50, 80));
        Files.move(log, dirOfContainer.resolve("0.log.20261130-042000"));
        append(log, lines(80, 120));
        start();

        awaitRecords(120);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        // the rotated file's rest and the new file are two files: no order between them, none lost or repeated
        assertThat(sink.records()).extracting(LogRecord::line).containsExactlyInAnyOrderElementsOf(expected(0, 120));
    }

    /**
     * Stopped, then the kubelet rotated the file and, one rotation later, gzipped it (through {@code .tmp}, renamed to
     * {@code .gz}, the plain file removed): the compressed rotation is read from the checkpoint's offset, with its
     * fragments merged, before the live file, so every line arrives once and in order.
     */
    @Test
    void aRotationCompressedWhileStoppedIsReplayedFromTheCheckpointBeforeTheLiveFile() throws IOException {
        Path dirOfContainer = container("shop", "checkout-7d9f-x2x", UID, "app");
        Path log = dirOfContainer.resolve("0.log");
        shipThenStop(log, 50);

        String long1 = text(40_000, 'l');
        // more than one read (256 KiB) of uncompressed content, and a line in 16 KiB fragments across reads
        append(log, lines(50, 3_000) + fragments("stderr", long1, 16 * 1024) + lines(3_000, 6_000));
        rotateAndCompress(log, "20261130-042000");
        append(log, lines(6_000, 6_100));
        start();

        List<String> expected = new ArrayList<>(expected(0, 3_000));
        expected.add(long1);
        expected.addAll(expected(3_000, 6_100));
        awaitRecords(expected.size());
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(sink.records()).extracting(LogRecord::line).containsExactlyElementsOf(expected);
        assertThat(TestSupport.metric(agent, LOST_BEFORE_READ)).isZero();
    }

    /** A compressed rotation cut short: what it holds is shipped, the rest counted as lost before read, with bytes. */
    @Test
    void aDamagedCompressedRotationShipsItsReadablePrefixAndCountsTheRestLost() throws IOException {
        Path log = shippedThenStopped();
        Path gz = cutInHalf(generation(log, 50, 6_000, "20261130-042000"));
        append(log, lines(6_000, 6_010));
        start();

        assertPrefixShippedRestCountedThenLive(50, gz);
    }

    private static Path cutInHalf(Path gz) throws IOException {
        byte[] compressed = Files.readAllBytes(gz);
        return Files.write(gz, Arrays.copyOf(compressed, compressed.length / 2));
    }

    /**
     * Lines up to {@code from} whole, then the damaged {@code gz}'s (cut in half) readable lines from {@code from} on,
     * the one the cut went through as far as it was readable, one loss counted with its bytes, then the live lines
     * 6,000 to 6,010.
     */
    private void assertPrefixShippedRestCountedThenLive(int from, Path gz) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(TestSupport.metric(agent, LOST_BEFORE_READ))
                        .as("diagnostics:%n%s", diagnostics.text())
                        .isEqualTo(1.0));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(lines())
                .endsWith(expected(6_000, 6_010).toArray(String[]::new)));
        assertThat(lines().subList(0, from)).containsExactlyElementsOf(expected(0, from));
        List<String> replayed = lines().subList(from, lines().size() - 10);
        assertThat(replayed.size()).as("the readable half was shipped").isGreaterThan(1_000);
        List<String> whole = replayed.subList(0, replayed.size() - 1);
        assertThat(whole).containsExactlyElementsOf(expected(from, from + whole.size()));
        assertThat(message(from + whole.size()))
                .as("the line the cut went through, shipped as far as it was readable")
                .startsWith(replayed.get(replayed.size() - 1));
        assertThat(diagnostics.text()).contains(gz.getFileName().toString()).contains("unread_compressed_bytes");
    }

    /**
     * A .gz whose first bytes are not those the checkpoint fingerprinted is another generation: never taken for the
     * checkpointed one's rest (read from its offset). With the checkpointed generation gone without a trace, it is
     * newer (the kubelet removes the oldest rotations first), so it is replayed whole, before the live file.
     */
    @Test
    void aCompressedRotationOfAnotherGenerationIsNotTakenForTheCheckpointedOne() throws IOException {
        Path dirOfContainer = container("shop", "checkout-7d9f-x2x", UID, "app");
        Path log = dirOfContainer.resolve("0.log");
        shipThenStop(log, 50);

        Files.delete(log);
        Path other = dirOfContainer.resolve("0.log.20261130-041000");
        append(other, lines(500, 600));
        KubeletCompression.compress(other);
        append(log, lines(50, 60));
        start();

        awaitRecords(160);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        List<String> expected = new ArrayList<>(expected(0, 50));
        expected.addAll(expected(500, 600));
        expected.addAll(expected(50, 60));
        assertThat(lines()).containsExactlyElementsOf(expected);
    }

    /** A container's {@code 0.log} whose first 50 lines were shipped before the agent stopped (checkpoint at 50). */
    private Path shippedThenStopped() throws IOException {
        Path log = container("shop", "checkout-7d9f-x2x", UID, "app").resolve("0.log");
        shipThenStop(log, 50);
        return log;
    }

    /** Lines {@code [from, to)} appended to {@code log}, which the kubelet then rotates at {@code stamp} and compresses. */
    private static Path generation(Path log, int from, int to, String stamp) throws IOException {
        append(log, lines(from, to));
        return rotateAndCompress(log, stamp);
    }

    /** The kubelet's rotation of {@code log} to {@code <name>.<stamp>}, compressed one rotation later. */
    private static Path rotateAndCompress(Path log, String stamp) throws IOException {
        Path rotated = log.resolveSibling(log.getFileName() + "." + stamp);
        Files.move(log, rotated);
        return KubeletCompression.compress(rotated);
    }

    /**
     * Stopped with a checkpoint in generation A; while stopped the container wrote generation B, which the kubelet
     * rotated and compressed too, then C: A's rest, then B from its start (never seen, in no checkpoint entry), then
     * C, every line once and in order.
     */
    @Test
    void anUnseenGenerationCompressedWhileStoppedIsReplayedWholeAfterTheCheckpointedOne() throws IOException {
        Path log = shippedThenStopped();
        String long1 = text(40_000, 'l');
        generation(log, 50, 2_000, "20261130-042000");
        // B: more than one read of uncompressed content, a line in 16 KiB fragments across reads
        append(log, lines(2_000, 4_000) + fragments("stderr", long1, 16 * 1024) + lines(4_000, 6_000));
        rotateAndCompress(log, "20261130-043000");
        append(log, lines(6_000, 6_100));
        start();

        List<String> expected = new ArrayList<>(expected(0, 4_000));
        expected.add(long1);
        expected.addAll(expected(4_000, 6_100));
        awaitRecords(expected.size());
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(lines()).containsExactlyElementsOf(expected);
        assertThat(TestSupport.metric(agent, LOST_BEFORE_READ)).isZero();
    }

    /** Several unseen generations are replayed oldest first (by the kubelet's stamp in their names). */
    @Test
    void severalUnseenGenerationsAreReplayedInTheOrderOfTheirStamps() throws IOException {
        Path log = shippedThenStopped();
        generation(log, 50, 100, "20261130-042000");
        generation(log, 100, 200, "20261130-042959");
        generation(log, 200, 300, "20261130-043000");
        generation(log, 300, 400, "20261201-000000");
        append(log, lines(400, 410));
        start();

        awaitRecords(410);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(lines()).containsExactlyElementsOf(expected(0, 410));
    }

    /** An unseen generation cut short: its readable prefix is shipped, the rest counted lost before read, then C. */
    @Test
    void aDamagedUnseenGenerationShipsItsReadablePrefixAndCountsTheRestLost() throws IOException {
        Path log = shippedThenStopped();
        generation(log, 50, 100, "20261130-042000");
        Path gz = cutInHalf(generation(log, 100, 6_000, "20261130-043000"));
        append(log, lines(6_000, 6_010));
        start();

        assertPrefixShippedRestCountedThenLive(100, gz);
    }

    /**
     * A compressed rotation older than the checkpointed generation's that matches no checkpoint entry was read before
     * the checkpoint (its entry retired once it was done) or, as here, predates the agent: not replayed. The newer
     * unseen one is.
     */
    @Test
    void anOlderUnmatchedCompressedRotationIsNotReplayed() throws IOException {
        Path old = container("shop", "checkout-7d9f-x2x", UID, "app").resolve("0.log.20261130-041000");
        append(old, lines(900, 1_000));
        KubeletCompression.compress(old);
        Path log = shippedThenStopped();
        generation(log, 50, 100, "20261130-042000");
        generation(log, 100, 200, "20261130-043000");
        append(log, lines(200, 210));
        start();

        awaitRecords(210);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(lines()).containsExactlyElementsOf(expected(0, 210));
    }

    /**
     * The container restarted while the agent was stopped: the checkpoint knows {@code 0.log} (still there, with lines
     * written after the checkpoint), restart 1's first generations were rotated and compressed ({@code 1.log.<stamp>.gz},
     * in no checkpoint entry), {@code 1.log} goes on. {@code 0.log}'s rest, then restart 1's generations whole in stamp
     * order, then {@code 1.log}: every line once and in order. Restart 0's own older {@code .gz}, rotated before the
     * checkpointed {@code 0.log} began, is not read.
     */
    @Test
    void aRestartsGenerationsCompressedWhileStoppedAreReplayedAfterThePreviousRestartsRest() throws IOException {
        Path dirOfContainer = container("shop", "checkout-7d9f-x2x", UID, "app");
        Path older = dirOfContainer.resolve("0.log.20261130-041000");
        append(older, lines(900, 1_000));
        KubeletCompression.compress(older);
        Path log = shippedThenStopped();
        append(log, lines(50, 60));
        Path restart1 = dirOfContainer.resolve("1.log");
        generation(restart1, 60, 2_000, "20261130-042000");
        generation(restart1, 2_000, 3_000, "20261130-043000");
        append(restart1, lines(3_000, 3_010));
        start();

        awaitRecords(3_010);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(lines()).containsExactlyElementsOf(expected(0, 3_010));
        assertThat(TestSupport.metric(agent, LOST_BEFORE_READ)).isZero();
    }

    /**
     * The checkpointed generation of restart 1 was rotated and compressed while the agent was stopped, and the
     * container restarted again: restart 1's rest from the checkpoint, restart 2's compressed generations whole, then
     * {@code 2.log}. A {@code .gz} of restart 0 matches no entry and predates the checkpoint: not read.
     */
    @Test
    void compressedGenerationsOfALaterRestartFollowTheCheckpointedRestartsAndOfAnEarlierOneAreNotRead()
            throws IOException {
        Path dirOfContainer = container("shop", "checkout-7d9f-x2x", UID, "app");
        Path restart0 = dirOfContainer.resolve("0.log.20261130-040000");
        append(restart0, lines(900, 1_000));
        KubeletCompression.compress(restart0);
        Path log = dirOfContainer.resolve("1.log");
        shipThenStop(log, 50);
        generation(log, 50, 100, "20261130-042000");
        Path restart2 = dirOfContainer.resolve("2.log");
        generation(restart2, 100, 200, "20261130-043000");
        generation(restart2, 200, 300, "20261130-044000");
        append(restart2, lines(300, 310));
        start();

        awaitRecords(310);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(lines()).containsExactlyElementsOf(expected(0, 310));
    }

    /**
     * The checkpointed generation's rest is still a plain rotation (resumed by its inode) and the next generation is
     * compressed already: the rotation's rest is read to its end before the {@code .gz} is replayed, then the live
     * file; every line once and in order.
     */
    @Test
    void aPlainRotationsRestIsReadBeforeTheNewerCompressedGenerationIsReplayed() throws IOException {
        Path log = shippedThenStopped();
        append(log, lines(50, 2_000));
        Files.move(log, log.resolveSibling("0.log.20261130-042000"));
        generation(log, 2_000, 4_000, "20261130-043000");
        append(log, lines(4_000, 4_010));
        start();

        awaitRecords(4_010);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(lines()).containsExactlyElementsOf(expected(0, 4_010));
    }

    /**
     * Stopped with a checkpoint for pod A; while stopped pod B was created and its container wrote enough for the
     * kubelet to rotate and compress twice ({@code 0.log.<stamp>.gz}), rotate once more (the newest rotation stays
     * plain) and go on in {@code 0.log}. B's directory is in no checkpoint entry: new. Its generations are read whole,
     * oldest first, then its plain rotation and live file (two files, each in order): every line of B once; A's
     * rest as before.
     */
    @Test
    void aPodCreatedAndCompressedWhileStoppedIsReadWholeOldestFirst() throws IOException {
        Path a = shippedThenStopped();
        append(a, lines(50, 60));
        Path b = container("shop", "created-while-stopped", OTHER_UID, "app").resolve("0.log");
        generation(b, 10_000, 12_000, "20261130-042000");
        generation(b, 12_000, 13_000, "20261130-043000");
        append(b, lines(13_000, 13_100));
        Files.move(b, b.resolveSibling("0.log.20261130-044000"));
        append(b, lines(13_100, 13_110));
        start();

        awaitRecords(60 + 3_110);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        List<String> ofB = linesOf("created-while-stopped");
        assertThat(ofB).hasSize(3_110);
        assertThat(ofB.subList(0, 3_000))
                .as("the compressed generations, oldest first, before any plain file")
                .containsExactlyElementsOf(expected(10_000, 13_000));
        // the plain rotation and the live file are two files: each in order, no order between them
        List<String> plain = ofB.subList(3_000, ofB.size());
        assertThat(plain).containsSubsequence(expected(13_000, 13_100)).containsSubsequence(expected(13_100, 13_110));
        assertThat(linesOf("checkout-7d9f-x2x")).containsExactlyElementsOf(expected(0, 60));
        assertThat(TestSupport.metric(agent, LOST_BEFORE_READ)).isZero();
    }

    /**
     * On the very first start (no checkpoint), a container's compressed rotations are history the agent never
     * promised to ship: not read, whatever {@code SIGHTLINE_NODE_READ_FROM} says; its live file is read (here from
     * its beginning).
     */
    @Test
    void theFirstStartEverReadsNoCompressedRotation() throws IOException {
        Path log = container("shop", "checkout-7d9f-x2x", UID, "app").resolve("0.log");
        generation(log, 900, 1_000, "20261130-042000");
        generation(log, 1_000, 1_100, "20261130-043000");
        append(log, lines(0, 10));
        start();

        awaitRecords(10);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(lines()).containsExactlyElementsOf(expected(0, 10));
    }

    /** Without a checkpoint the agent starts at the end of the files that exist (a node's history is not shipped). */
    @Test
    void theFirstStartReadsExistingFilesFromTheirEnd() throws IOException {
        Path log = container("shop", "checkout-7d9f-x2x", UID, "app").resolve("0.log");
        append(log, lines(0, 10));
        Map<String, String> fromEnd = new HashMap<>();
        fromEnd.put("SIGHTLINE_NODE_READ_FROM", "end");
        start(fromEnd, PodMetadataSource.NONE);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> agent.checkpoints().lagByInput().values().stream().anyMatch(lag -> lag >= 0));
        // a new container started after the agent: from its beginning
        Path later = container("shop", "later-pod", OTHER_UID, "app").resolve("0.log");
        append(later, lines(100, 105));
        awaitRecords(5);
        append(log, lines(10, 12));

        awaitRecords(7);
        assertThat(sink.records())
                .extracting(LogRecord::line)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.concat(IntStream.range(100, 105), IntStream.range(10, 12))
                                .mapToObj(NodeModeTest::message)
                                .toList());
    }

    @Test
    void aCheckpointInsideThePodLogDirectoryIsRefused() {
        Map<String, String> settings = TestSupport.settings(dir, pods().resolve("checkpoint"));
        settings.put("SIGHTLINE_MODE", "node");
        settings.put("SIGHTLINE_NODE_PODS_DIR", pods().toString());

        assertThatThrownBy(() -> TestSupport.config(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SIGHTLINE_CHECKPOINT_DIR")
                .hasMessageContaining("outside SIGHTLINE_NODE_PODS_DIR");
    }

    private static String message(int i) {
        return "line " + i + " of the container";
    }

    private static String lines(int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            text.append(cri(i % 3 == 0 ? "stderr" : "stdout", "F", message(i)));
        }
        return text.toString();
    }

    private static List<String> expected(int from, int to) {
        return IntStream.range(from, to).mapToObj(NodeModeTest::message).toList();
    }

    /** Pod metadata the API server would have told, fixed for the test. */
    private record FixedMetadata(Map<String, PodMetadata> pods) implements PodMetadataSource {

        @Override
        public Optional<PodMetadata> find(String logUid) {
            return Optional.ofNullable(pods.get(logUid));
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public void close() {}
    }
}
