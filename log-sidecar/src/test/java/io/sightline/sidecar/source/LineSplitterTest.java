package io.sightline.sidecar.source;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LineSplitterTest {

    private record Line(String text, long start, long end, boolean truncated) {}

    private final List<Line> lines = new ArrayList<>();
    private final LineSplitter.LineHandler collect = (bytes, offset, length, start, end, truncated) ->
            lines.add(new Line(new String(bytes, offset, length, StandardCharsets.UTF_8), start, end, truncated));

    @Test
    void splitsAcrossChunksWithOffsetsAndStripsCarriageReturns() {
        LineSplitter splitter = new LineSplitter(1024, 100);
        feed(splitter, "one\r\ntw", 100);
        feed(splitter, "o\r", 107);
        feed(splitter, "\nthree\n", 109);
        assertThat(lines)
                .containsExactly(
                        new Line("one", 100, 105, false),
                        new Line("two", 105, 110, false),
                        new Line("three", 110, 116, false));
        assertThat(splitter.hasPartial()).isFalse();
    }

    @Test
    void holdsAnIncompleteLineUntilFlushed() {
        LineSplitter splitter = new LineSplitter(1024, 0);
        feed(splitter, "done\nhalf", 0);
        assertThat(lines).extracting(Line::text).containsExactly("done");
        assertThat(splitter.hasPartial()).isTrue();
        splitter.flushPartial(9, collect);
        assertThat(lines).last().isEqualTo(new Line("half", 5, 9, false));
    }

    @Test
    void truncatesLongLinesWithinOneChunkAndAcrossChunks() {
        LineSplitter splitter = new LineSplitter(8, 0);
        feed(splitter, "0123456789abc\nok\n", 0);
        feed(splitter, "ABCDEFG", 17);
        feed(splitter, "HIJKLMN\n", 24);
        assertThat(lines)
                .containsExactly(
                        new Line("01234567", 0, 14, true),
                        new Line("ok", 14, 17, false),
                        new Line("ABCDEFGH", 17, 32, true));
    }

    /**
     * The newline search reads eight bytes at a time: random content (every byte value, newlines at every
     * position of a word, bytes next to {@code \n} such as {@code 0x0b}, {@code 0x8a}) fed in random chunks
     * gives the lines a byte-by-byte split gives, with their offsets.
     */
    @Test
    void randomBytesInRandomChunksSplitAsAByteByByteSearchDoes() {
        Random random = new Random(16);
        byte[] alphabet = {'\n', '\n', 0x0b, 0x09, (byte) 0x8a, (byte) 0x8b, 0x0a ^ 0x7f, 0, (byte) 0xff, 'a', '\r'};
        for (int round = 0; round < 200; round++) {
            byte[] content = new byte[random.nextInt(300)];
            for (int i = 0; i < content.length; i++) {
                content[i] =
                        random.nextBoolean() ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
            }
            lines.clear();
            LineSplitter splitter = new LineSplitter(1 << 20, 0);
            for (int at = 0; at < content.length; ) {
                int chunk = Math.min(content.length - at, 1 + random.nextInt(40));
                byte[] padded = new byte[chunk + 16]; // the chunk in the middle of a larger buffer
                System.arraycopy(content, at, padded, 7, chunk);
                splitter.feed(padded, 7, chunk, at, collect);
                at += chunk;
            }
            assertThat(lines).as("round %d", round).isEqualTo(byteByByte(content));
        }
    }

    private static List<Line> byteByByte(byte[] content) {
        List<Line> expected = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                int length = i - start;
                if (length > 0 && content[i - 1] == '\r') {
                    length--;
                }
                expected.add(new Line(new String(content, start, length, StandardCharsets.UTF_8), start, i + 1, false));
                start = i + 1;
            }
        }
        return expected;
    }

    private void feed(LineSplitter splitter, String text, long offset) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        splitter.feed(bytes, 0, bytes.length, offset, collect);
    }
}
