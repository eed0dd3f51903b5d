package io.sightline.sidecar.node.frame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.sightline.sidecar.node.frame.FramerInput.Message;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz-style checks with fixed seeds: whatever bytes a file holds, the framer never throws, never emits
 * more than its limit, never reads outside the line it is given, and says honestly what it parsed.
 */
class HostileInputFramingTest {

    private static final String T0 = "2026-11-30T10:15:00.123456789Z";
    private static final String[] SEEDS_OF_VALID_LINES = {
        T0 + " stdout F hello",
        T0 + " stderr P part",
        "2026-11-30T11:15:00+01:00 stdout F:x crio",
        "{\"log\":\"json\\n\",\"stream\":\"stdout\",\"time\":\"" + T0 + "\"}",
        "{\"log\":\"part\",\"stream\":\"stderr\",\"time\":\"" + T0 + "\",\"attrs\":{\"a\":[1,{\"b\":null}]}}",
        "{\"log\":\"\\ud83d\\ude00 \\u0000 \\\\\",\"stream\":\"stdout\",\"time\":\"" + T0 + "\"}",
    };

    @Test
    void randomBytesNeverBreakTheFramer() {
        for (long seed = 1; seed <= 150; seed++) {
            Random random = new Random(seed);
            int limit = 1 + random.nextInt(2048);
            List<byte[]> lines = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] line = new byte[random.nextInt(300)];
                random.nextBytes(line);
                lines.add(line);
            }
            checkInvariants(seed, limit, lines);
        }
    }

    @Test
    void mutatedRuntimeLinesNeverBreakTheFramer() {
        for (long seed = 1; seed <= 150; seed++) {
            Random random = new Random(seed);
            int limit = 1 + random.nextInt(2048);
            List<byte[]> lines = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                lines.add(mutate(random, SEEDS_OF_VALID_LINES[random.nextInt(SEEDS_OF_VALID_LINES.length)]));
            }
            checkInvariants(seed, limit, lines);
        }
    }

    @Test
    void endlessPartialFragmentsStayWithinTheLimit() {
        int limit = 256 << 10;
        ContainerLogFramer framer = new ContainerLogFramer(limit);
        List<Message> messages = new ArrayList<>();
        byte[] fragment = (T0 + " stdout P " + "x".repeat(16 << 10)).getBytes(StandardCharsets.US_ASCII);
        long offset = 0;
        for (int i = 0; i < 2_000; i++) { // 32 MiB of one never-ending line
            framer.line(
                    fragment,
                    0,
                    fragment.length,
                    offset,
                    offset + fragment.length + 1,
                    false,
                    m -> messages.add(FramerInput.copy(m)));
            offset += fragment.length + 1;
        }
        assertThat(messages).isEmpty();
        assertThat(framer.pendingStartOffset()).isZero();

        framer.flush(m -> messages.add(FramerInput.copy(m)));

        assertThat(messages).singleElement().satisfies(m -> {
            assertThat(m.bytes()).hasSize(limit);
            assertThat(m.truncated()).isTrue();
            assertThat(m.unterminated()).isTrue();
        });
    }

    @Test
    void hugeSingleLinesAndDeepJsonAreHandled() {
        ContainerLogFramer framer = new ContainerLogFramer(1024);
        List<Message> messages = new ArrayList<>();
        byte[] huge = (T0 + " stdout F " + "y".repeat(5 << 20)).getBytes(StandardCharsets.US_ASCII);
        byte[] deep = ("{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"" + T0 + "\",\"attrs\":"
                        + "[".repeat(100_000) + "]".repeat(100_000) + "}")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] longKey = ("{\"" + "k".repeat(1 << 20) + "\":1}").getBytes(StandardCharsets.US_ASCII);

        for (byte[] line : List.of(huge, deep, longKey)) {
            framer.line(line, 0, line.length, 0, line.length + 1, false, m -> messages.add(FramerInput.copy(m)));
        }

        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).bytes()).hasSize(1024);
        assertThat(messages.get(0).truncated()).isTrue();
        assertThat(messages.get(0).stream()).isEqualTo(LogStream.STDOUT);
        assertThat(messages.subList(1, 3)).allSatisfy(m -> {
            assertThat(m.stream()).isNull();
            assertThat(m.bytes()).hasSize(1024);
        });
    }

    private static void checkInvariants(long seed, int limit, List<byte[]> lines) {
        ContainerLogFramer exact = new ContainerLogFramer(limit);
        ContainerLogFramer padded = new ContainerLogFramer(limit);
        List<Message> fromExact = new ArrayList<>();
        List<Message> fromPadded = new ArrayList<>();
        Random padding = new Random(-seed);
        long offset = 0;
        for (byte[] line : lines) {
            long end = offset + line.length + 1;
            exact.line(line, 0, line.length, offset, end, false, m -> fromExact.add(FramerInput.copy(m)));
            // the same line inside a larger array of junk: the framer must see only its range
            byte[] around = new byte[line.length + 64];
            padding.nextBytes(around);
            int at = padding.nextInt(33);
            System.arraycopy(line, 0, around, at, line.length);
            padded.line(around, at, line.length, offset, end, false, m -> fromPadded.add(FramerInput.copy(m)));
            offset = end;
        }
        exact.flush(m -> fromExact.add(FramerInput.copy(m)));
        padded.flush(m -> fromPadded.add(FramerInput.copy(m)));
        long fed = offset;

        assertThat(exact.hasPending()).as("seed %d", seed).isFalse();
        assertThat(fromPadded).as("seed %d", seed).hasSameSizeAs(fromExact);
        for (int i = 0; i < fromExact.size(); i++) {
            Message a = fromExact.get(i);
            Message b = fromPadded.get(i);
            assertThat(b.bytes()).as("seed %d message %d", seed, i).isEqualTo(a.bytes());
            assertThat(Arrays.asList(b.stream(), b.timeNanos(), b.startOffset(), b.endOffset(), b.truncated()))
                    .as("seed %d message %d", seed, i)
                    .isEqualTo(Arrays.asList(a.stream(), a.timeNanos(), a.startOffset(), a.endOffset(), a.truncated()));
        }
        assertThat(fromExact).as("seed %d", seed).allSatisfy(m -> {
            assertThat(m.bytes().length).isLessThanOrEqualTo(limit);
            assertThat(m.stream() == null).isEqualTo(m.timeNanos() == FramedMessage.NO_TIME);
            assertThat(m.startOffset()).isBetween(0L, m.endOffset());
            assertThat(m.endOffset()).isLessThanOrEqualTo(fed);
        });
    }

    private static byte[] mutate(Random random, String valid) {
        byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && bytes.length > 0; e++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(5)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes = Arrays.copyOf(bytes, at); // cut short
                case 2 -> { // delete one byte
                    byte[] shorter = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                    bytes = shorter;
                }
                case 3 -> { // insert a structural byte
                    byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = (byte) " {}\":\\P F9-T.Z+".charAt(random.nextInt(15));
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                }
                default -> bytes[at] = (byte) (bytes[at] ^ (1 << random.nextInt(8)));
            }
        }
        return bytes;
    }
}
