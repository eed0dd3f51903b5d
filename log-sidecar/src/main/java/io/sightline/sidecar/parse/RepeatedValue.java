package io.sightline.sidecar.parse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonParser;

/**
 * A field whose value repeats on nearly every line (level, service name and version, namespace): the last value,
 * as a {@code String} and as its UTF-8 bytes, so that a line repeating it costs a byte comparison, not a new
 * {@code String}. Not thread-safe: one per parser and field.
 */
final class RepeatedValue {

    private String text = "";
    private byte[] utf8 = new byte[0];

    /** The ASCII value {@code bytes[start, end)}: the last one when the bytes are the same. */
    String of(byte[] bytes, int start, int end) {
        if (!Arrays.equals(bytes, start, end, utf8, 0, utf8.length)) {
            utf8 = Arrays.copyOfRange(bytes, start, end);
            text = new String(utf8, StandardCharsets.ISO_8859_1);
        }
        return text;
    }

    /** The string value at the parser's current token: the last one when the characters are the same. */
    String of(JsonParser parser) throws IOException {
        char[] chars = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        int length = parser.getTextLength();
        boolean same = length == text.length();
        for (int i = 0; i < length && same; i++) {
            same = chars[offset + i] == text.charAt(i);
        }
        if (!same) {
            text = new String(chars, offset, length);
            utf8 = text.getBytes(StandardCharsets.UTF_8);
        }
        return text;
    }
}
