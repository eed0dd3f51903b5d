package io.sightline.sidecar.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Sizes of text as sinks see it: UTF-8 bytes, not characters. An invalid byte read from a file
 * becomes U+FFFD, three bytes, so a decoded line can be three times as long as the bytes read.
 */
public final class Utf8 {

    private Utf8() {}

    /** The number of bytes of {@code text} in UTF-8 (an unpaired surrogate counts as the 3 bytes of its replacement). */
    public static int length(CharSequence text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Whether {@code text} fits in {@code maxBytes} of UTF-8, without counting when it obviously does. */
    public static boolean fits(String text, int maxBytes) {
        return (long) text.length() * 3 <= maxBytes || length(text) <= maxBytes;
    }

    /** The longest prefix of {@code text} that fits in {@code maxBytes} of UTF-8, cut between code points. */
    public static String truncate(String text, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int width;
            int chars = 1;
            if (c < 0x80) {
                width = 1;
            } else if (c < 0x800) {
                width = 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                width = 4;
                chars = 2;
            } else {
                width = 3;
            }
            if (bytes + width > maxBytes) {
                break;
            }
            bytes += width;
            i += chars;
        }
        return i == text.length() ? text : text.substring(0, i);
    }

    /**
     * {@code bytes[offset, offset+length)} as valid UTF-8, in a new array: a copy when {@code ascii} (the
     * caller knows it), else decoded and encoded again, so invalid input becomes U+FFFD exactly as a
     * {@code String} of it would.
     */
    public static byte[] valid(byte[] bytes, int offset, int length, boolean ascii) {
        if (ascii) {
            return Arrays.copyOfRange(bytes, offset, offset + length);
        }
        return new String(bytes, offset, length, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The longest prefix of the valid UTF-8 {@code utf8} that fits in {@code maxBytes}, cut between code
     * points ({@code utf8} itself when it fits).
     */
    public static byte[] truncate(byte[] utf8, int maxBytes) {
        if (utf8.length <= maxBytes) {
            return utf8;
        }
        int end = maxBytes;
        // back off to the start of the code point the limit cuts into (continuation bytes are 10xxxxxx)
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--;
        }
        return Arrays.copyOf(utf8, end);
    }
}
