package io.sightline.sidecar.parse;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte forms give what the text forms give: records keep their line as bytes, and must ship the same. */
class Utf8Test {

    @Test
    void bytesAreCutBetweenCodePointsLikeTheText() {
        String text = "a\u00e9\u20ac\uD83D\uDE00z"; // 1, 2, 3, 4 and 1 bytes
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int max = 0; max <= utf8.length + 1; max++) {
            assertThat(new String(Utf8.truncate(utf8, max), StandardCharsets.UTF_8))
                    .as("limit %d", max)
                    .isEqualTo(Utf8.truncate(text, max));
        }
    }

    @Test
    void invalidBytesBecomeTheReplacementCharacterAsTextDoes() {
        byte[] invalid = {'o', 'k', (byte) 0xC3, ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xFF, '!'};
        assertThat(Utf8.valid(invalid, 0, invalid.length, false))
                .isEqualTo(new String(invalid, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        assertThat(Utf8.valid(invalid, 1, 1, true)).containsExactly('k');
    }

    @Test
    void aLineReadFromBytesIsShippedAsValidUtf8() {
        byte[] line = {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'};
        LogRecord record = new RecordParser(() -> {}).parseLine(line, 0, line.length, 1, null);
        assertThat(record.line()).isEqualTo("{\"a\":\"\uFFFD\"}");
        assertThat(record.lineBytes()).isEqualTo(record.line().getBytes(StandardCharsets.UTF_8));
    }
}
