package io.sightline.sidecar.source;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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

    private void feed(LineSplitter splitter, String text, long offset) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        splitter.feed(bytes, 0, bytes.length, offset, collect);
    }
}
