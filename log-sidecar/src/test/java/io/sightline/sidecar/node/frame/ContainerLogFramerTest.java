package io.sightline.sidecar.node.frame;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.sightline.sidecar.node.frame.FramerInput.Message;
import org.junit.jupiter.api.Test;

import static io.sightline.sidecar.node.frame.FramerInput.criSplit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ContainerLogFramerTest {

    private static final String T0 = "2026-11-30T10:15:00.123456789Z";
    private static final int LIMIT = 256 << 10;

    private final ContainerLogFramer framer = new ContainerLogFramer(LIMIT);
    private final FramerInput input = new FramerInput(framer);

    @Test
    void criLineGivesStreamRuntimeTimeAndMessage() {
        String first = T0 + " stdout F hello world\n";
        String second = "2026-11-30T10:15:01Z stderr F oops\n";
        input.feed(first + second);
        long end = first.length() + second.length();

        assertThat(framer.format()).isEqualTo(ContainerLogFormat.CRI);
        assertThat(input.messages)
                .extracting(
                        Message::text, Message::stream, Message::timeNanos, Message::startOffset, Message::endOffset)
                .containsExactly(
                        tuple("hello world", LogStream.STDOUT, nanos(T0), 0L, (long) first.length()),
                        tuple("oops", LogStream.STDERR, nanos("2026-11-30T10:15:01Z"), (long) first.length(), end));
        assertThat(input.messages).noneMatch(m -> m.truncated() || m.unterminated());
    }

    @Test
    void containerdSixteenKibFragmentsAreMergedIntoTheLine() {
        byte[] line = text(40_000, 1);
        byte[] file = criSplit(T0, "stdout", line, 16 << 10);

        input.feed(file);

        assertThat(input.messages).singleElement().satisfies(m -> {
            assertThat(m.bytes()).isEqualTo(line);
            assertThat(m.stream()).isEqualTo(LogStream.STDOUT);
            assertThat(m.startOffset()).isZero();
            assertThat(m.endOffset()).isEqualTo(file.length);
            assertThat(m.truncated()).isFalse();
            assertThat(m.unterminated()).isFalse();
        });
    }

    @Test
    void crioEightKbFragmentsAreMergedIntoTheLine() {
        byte[] line = text(8_000 * 3 + 17, 2);

        input.feed(criSplit("2026-11-30T11:15:00.5+01:00", "stderr", line, 8_000));

        assertThat(input.messages).singleElement().satisfies(m -> {
            assertThat(m.bytes()).isEqualTo(line);
            assertThat(m.stream()).isEqualTo(LogStream.STDERR);
            assertThat(m.timeNanos()).isEqualTo(nanos("2026-11-30T10:15:00.5Z"));
        });
    }

    @Test
    void aLineLongerThanTheLimitIsCutAtTheLimitAndMarkedTruncated() {
        byte[] line = text(300_000, 3);
        byte[] file = criSplit(T0, "stdout", line, 16 << 10);

        input.feed(file).feed(T0 + " stdout F next\n");

        assertThat(input.messages).hasSize(2);
        Message first = input.messages.get(0);
        assertThat(first.truncated()).isTrue();
        assertThat(first.bytes()).hasSize(LIMIT).isEqualTo(Arrays.copyOf(line, LIMIT));
        assertThat(first.endOffset()).isEqualTo(file.length);
        assertThat(input.messages.get(1).text()).isEqualTo("next");
        assertThat(input.messages.get(1).truncated()).isFalse();
    }

    @Test
    void threeHundredKbLineIsWholeWhenTheLimitAllowsIt() {
        ContainerLogFramer large = new ContainerLogFramer(1 << 20);
        byte[] line = text(300_000, 4);

        FramerInput in = new FramerInput(large).feed(criSplit(T0, "stdout", line, 16 << 10));

        assertThat(in.messages).singleElement().satisfies(m -> {
            assertThat(m.bytes()).isEqualTo(line);
            assertThat(m.truncated()).isFalse();
        });
    }

    @Test
    void stdoutAndStderrFragmentsInterleavedInOneFileAreMergedPerStream() {
        String file = T0 + " stdout P out-1 \n"
                + T0 + " stderr P err-1 \n"
                + T0 + " stdout P out-2 \n"
                + T0 + " stderr F err-2\n"
                + T0 + " stdout F out-3\n";

        input.feed(file);

        assertThat(input.texts()).containsExactly("err-1 err-2", "out-1 out-2 out-3");
        Message err = input.messages.get(0);
        Message out = input.messages.get(1);
        assertThat(err.stream()).isEqualTo(LogStream.STDERR);
        assertThat(out.stream()).isEqualTo(LogStream.STDOUT);
        int lineLength = (T0 + " stdout P out-1 \n").length();
        assertThat(out.startOffset()).isZero();
        assertThat(err.startOffset()).isEqualTo(lineLength);
        assertThat(out.endOffset()).isEqualTo(file.length());
    }

    @Test
    void theOldestPendingFragmentBoundsTheCheckpointUntilItsLineCompletes() {
        String first = T0 + " stdout P begin \n";
        input.feed(first).feed(T0 + " stderr F unrelated\n");

        assertThat(input.texts()).containsExactly("unrelated");
        assertThat(framer.hasPending()).isTrue();
        assertThat(framer.pendingStartOffset()).isZero();

        input.feed(T0 + " stdout F end\n");

        assertThat(input.texts()).containsExactly("unrelated", "begin end");
        assertThat(framer.hasPending()).isFalse();
        assertThat(framer.pendingStartOffset()).isEqualTo(-1);
    }

    @Test
    void flushShipsWhatThereIsOfALineWhoseLastFragmentNeverCame() {
        input.feed(T0 + " stdout P half a li\n" + T0 + " stderr P other\n");

        input.flush();

        assertThat(input.texts()).containsExactly("half a li", "other");
        assertThat(input.messages).allSatisfy(m -> assertThat(m.unterminated()).isTrue());
        assertThat(framer.hasPending()).isFalse();
    }

    @Test
    void partialFragmentsThatWereAllEmptyFlushAsAnEmptyMessage() {
        input.feed(T0 + " stdout P \n" + T0 + " stdout P \n");

        input.flush();

        assertThat(input.messages).singleElement().satisfies(m -> {
            assertThat(m.bytes()).isEmpty();
            assertThat(m.stream()).isEqualTo(LogStream.STDOUT);
            assertThat(m.unterminated()).isTrue();
        });
    }

    @Test
    void theMergedTimeIsTheFirstFragmentsTime() {
        input.feed("2026-11-30T10:15:00Z stdout P a\n2026-11-30T10:15:09Z stdout F b\n");

        assertThat(input.messages.get(0).timeNanos()).isEqualTo(nanos("2026-11-30T10:15:00Z"));
    }

    @Test
    void oneTrailingCarriageReturnOfACompleteLineIsDropped() {
        input.feed(T0 + " stdout F windows\r\n" + T0 + " stdout P split\r\n" + T0 + " stdout F  done\r\r\n");

        assertThat(input.texts()).containsExactly("windows", "split\r done\r");
    }

    @Test
    void criTagsAfterTheFirstAreIgnoredAndOtherFirstTagsAreNotCri() {
        input.feed(T0 + " stdout F:x:y tagged\n"
                + T0 + " stdout X other tag\n"
                + T0 + " stdout PF two letters\n"
                + T0 + " stdout F \n");

        assertThat(input.messages)
                .extracting(Message::text, Message::stream)
                .containsExactly(
                        tuple("tagged", LogStream.STDOUT),
                        tuple(T0 + " stdout X other tag", null),
                        tuple(T0 + " stdout PF two letters", null),
                        tuple("", LogStream.STDOUT));
    }

    @Test
    void onlyStdoutAndStderrSpelledExactlyAreStreams() {
        input.feed(T0 + " stderr F err\n"
                + T0 + " stdin F x\n"
                + T0 + " stdoux F x\n"
                + T0 + " Stdout F x\n"
                + T0 + " stdouts F x\n"
                + T0 + " stder F x\n"
                + T0 + " stdeut F x\n"
                + T0 + " stdere F x\n"
                + T0 + " stdout F out\n");

        assertThat(input.messages)
                .extracting(Message::stream)
                .containsExactly(LogStream.STDERR, null, null, null, null, null, null, null, LogStream.STDOUT);
    }

    @Test
    void runtimeTimesInEveryRfc3339NanoShapeAreRead() {
        String[][] cases = {
            {"2026-11-30T10:15:00Z", "2026-11-30T10:15:00Z"},
            {"2026-11-30T10:15:00.1Z", "2026-11-30T10:15:00.100Z"},
            {"2026-11-30T10:15:00.000000001Z", "2026-11-30T10:15:00.000000001Z"},
            {"2026-11-30T05:45:00.25-04:30", "2026-11-30T10:15:00.250Z"},
            {"2024-02-29T23:59:59.999999999+00:00", "2024-02-29T23:59:59.999999999Z"},
            {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"},
        };
        for (String[] c : cases) {
            input.feed(c[0] + " stdout F x\n");
        }

        assertThat(input.messages)
                .extracting(Message::timeNanos)
                .containsExactly(Arrays.stream(cases).map(c -> nanos(c[1])).toArray(Long[]::new));
    }

    @Test
    void unreadableTimesMakeTheLineUnparsed() {
        String[] times = {
            "2026-13-30T10:15:00Z",
            "2026-02-29T10:15:00Z",
            "2026-11-31T10:15:00Z",
            "2026-11-30T24:00:00Z",
            "2026-11-30T10:60:00Z",
            "2026-11-30T10:15:60Z",
            "2026-11-30T10:15:00.1234567891Z",
            "2026-11-30T10:15:00.Z",
            "2026-11-30T10:15:00",
            "2026-11-30T10:15:00z",
            "2026-11-30 10:15:00Z",
            "2026-11-30T10:15:00+0100",
            "2026-11-30T10:15:00+24:00",
            "9999-12-31T23:59:59Z",
            "1600-01-01T00:00:00Z",
            "+026-11-30T10:15:00Z",
        };
        for (String time : times) {
            input.feed(time + " stdout F x\n");
        }

        assertThat(input.messages).hasSize(times.length).allSatisfy(m -> {
            assertThat(m.stream()).isNull();
            assertThat(m.timeNanos()).isEqualTo(FramedMessage.NO_TIME);
            assertThat(m.text()).endsWith(" stdout F x");
        });
        assertThat(framer.format()).isNull();
    }

    @Test
    void theFormatIsFixedByTheFirstRecognisedLine() {
        input.feed("garbage before\n"
                + T0 + " stdout F cri\n"
                + "{\"log\":\"json\\n\",\"stream\":\"stdout\",\"time\":\"" + T0 + "\"}\n");

        assertThat(framer.format()).isEqualTo(ContainerLogFormat.CRI);
        assertThat(input.messages).extracting(Message::stream).containsExactly(null, LogStream.STDOUT, null);
    }

    @Test
    void dockerJsonFileLinesAreUnescapedAndTheirNewlineRemoved() {
        input.feed("{\"log\":\"a \\\"quoted\\\" \\u003cb\\u003e \\\\ tab\\t caf\\u00e9 \\ud83d\\ude00\\n\","
                + "\"stream\":\"stderr\",\"time\":\"" + T0 + "\"}\n"
                + "{\"log\":\"lone \\ud800 surrogate\\n\",\"stream\":\"stdout\",\"time\":\"" + T0
                + "\",\"attrs\":{\"tag\":\"x\",\"n\":[1,2]}}\n");

        assertThat(framer.format()).isEqualTo(ContainerLogFormat.DOCKER_JSON);
        assertThat(input.texts()).containsExactly("a \"quoted\" <b> \\ tab\t café 😀", "lone \ufffd surrogate");
        assertThat(input.messages.get(0).stream()).isEqualTo(LogStream.STDERR);
        assertThat(input.messages.get(0).timeNanos()).isEqualTo(nanos(T0));
    }

    @Test
    void dockerJsonSixteenKibPiecesWithoutNewlineAreMergedPerStream() {
        String piece = "x".repeat(16 << 10);
        input.feed(json(piece, "stdout")
                + json("err", "stderr")
                + json(piece, "stdout")
                + json("end\\n", "stdout")
                + json(" more\\n", "stderr"));

        assertThat(input.texts()).containsExactly(piece + piece + "end", "err more");
    }

    @Test
    void dockerJsonLinesMissingAFieldOrWithWrongTypesAreUnparsed() {
        String[] lines = {
            "{\"stream\":\"stdout\",\"time\":\"" + T0 + "\"}",
            "{\"log\":\"x\\n\",\"time\":\"" + T0 + "\"}",
            "{\"log\":\"x\\n\",\"stream\":\"stdout\"}",
            "{\"log\":1,\"stream\":\"stdout\",\"time\":\"" + T0 + "\"}",
            "{\"log\":\"x\\n\",\"stream\":\"stdin\",\"time\":\"" + T0 + "\"}",
            "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"yesterday\"}",
            "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"" + T0 + "\"} trailing",
            "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"" + T0 + "\"",
            "[\"log\"]",
        };
        input.feed("{\"log\":\"first\\n\",\"stream\":\"stdout\",\"time\":\"" + T0 + "\"}\n");
        for (String line : lines) {
            input.feed(line + "\n");
        }

        assertThat(input.messages).hasSize(lines.length + 1);
        assertThat(input.messages.subList(1, input.messages.size()))
                .extracting(Message::text)
                .containsExactly(lines);
        assertThat(input.messages.subList(1, input.messages.size()))
                .allSatisfy(m -> assertThat(m.stream()).isNull());
    }

    @Test
    void aLineAlreadyCutByTheSplitterStaysMarkedTruncated() {
        byte[] line = (T0 + " stdout F cut short").getBytes(StandardCharsets.UTF_8);
        framer.line(line, 0, line.length, 0, 5000, true, m -> input.messages.add(FramerInput.copy(m)));

        assertThat(input.messages).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo("cut short");
            assertThat(m.truncated()).isTrue();
        });
    }

    /** Random CRI files (two streams interleaved, lines cut at random sizes) against the lines written. */
    @Test
    void randomInterleavedFragmentsAlwaysGiveBackTheWrittenLines() {
        for (long seed = 1; seed <= 100; seed++) {
            Random random = new Random(seed);
            int limit = 1 + random.nextInt(4000);
            ContainerLogFramer f = new ContainerLogFramer(limit);
            FramerInput in = new FramerInput(f);
            List<String> expectedOut = new ArrayList<>();
            List<String> expectedErr = new ArrayList<>();
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            // pending fragments per stream: written interleaved, one fragment at a time
            ArrayDeque<byte[]>[] queues = new ArrayDeque[] {new ArrayDeque<byte[]>(), new ArrayDeque<byte[]>()};
            for (int line = 0; line < 60; line++) {
                int stream = random.nextInt(2);
                String text = randomText(random, random.nextInt(3 * limit + 2));
                (stream == 0 ? expectedOut : expectedErr)
                        .add(new String(
                                Arrays.copyOf(
                                        text.getBytes(StandardCharsets.UTF_8),
                                        Math.min(limit, text.getBytes(StandardCharsets.UTF_8).length)),
                                StandardCharsets.UTF_8));
                queues[stream].add(criSplit(
                        T0,
                        stream == 0 ? "stdout" : "stderr",
                        text.getBytes(StandardCharsets.UTF_8),
                        1 + random.nextInt(300)));
            }
            // interleave whole lines of the two streams' fragment sequences fragment by fragment
            List<byte[]> out = fragments(queues[0]);
            List<byte[]> err = fragments(queues[1]);
            int i = 0;
            int j = 0;
            while (i < out.size() || j < err.size()) {
                if (j >= err.size() || (i < out.size() && random.nextBoolean())) {
                    file.writeBytes(out.get(i++));
                } else {
                    file.writeBytes(err.get(j++));
                }
            }

            in.feed(file.toByteArray());

            assertThat(f.hasPending()).as("seed %d", seed).isFalse();
            assertThat(in.messages.stream()
                            .filter(m -> m.stream() == LogStream.STDOUT)
                            .map(Message::text))
                    .as("seed %d", seed)
                    .containsExactlyElementsOf(expectedOut);
            assertThat(in.messages.stream()
                            .filter(m -> m.stream() == LogStream.STDERR)
                            .map(Message::text))
                    .as("seed %d", seed)
                    .containsExactlyElementsOf(expectedErr);
            assertThat(in.messages).allSatisfy(m -> assertThat(m.bytes().length).isLessThanOrEqualTo(limit));
        }
    }

    private static List<byte[]> fragments(ArrayDeque<byte[]> lines) {
        List<byte[]> result = new ArrayList<>();
        for (byte[] lineFragments : lines) {
            int start = 0;
            for (int k = 0; k < lineFragments.length; k++) {
                if (lineFragments[k] == '\n') {
                    result.add(Arrays.copyOfRange(lineFragments, start, k + 1));
                    start = k + 1;
                }
            }
        }
        return result;
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            char c = (char) (0x20 + random.nextInt(0x5f));
            text.append(c == '\n' ? ' ' : c);
        }
        return text.toString();
    }

    private static String json(String log, String stream) {
        return "{\"log\":\"" + log + "\",\"stream\":\"" + stream + "\",\"time\":\"" + T0 + "\"}\n";
    }

    private static byte[] text(int length, int seed) {
        Random random = new Random(seed);
        byte[] text = new byte[length];
        for (int i = 0; i < length; i++) {
            text[i] = (byte) ('a' + random.nextInt(26));
        }
        return text;
    }

    static long nanos(String rfc3339) {
        Instant instant = OffsetDateTime.parse(rfc3339).toInstant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
