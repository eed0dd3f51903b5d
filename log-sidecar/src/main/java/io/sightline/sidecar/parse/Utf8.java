package io.sightline.sidecar.parse;

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
}
