package io.sightline.sidecar.node.frame;

/** Small byte-range helpers for the ASCII structure of runtime log lines. */
final class Ascii {

    private Ascii() {}

    static boolean equals(byte[] bytes, int from, int to, String ascii) {
        if (to - from != ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (bytes[from + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first {@code b} in {@code bytes[from, to)}, or -1. */
    static int indexOf(byte[] bytes, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The value of {@code count} decimal digits at {@code from}, or -1 if any is not a digit. */
    static int digits(byte[] bytes, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int d = bytes[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }
}
