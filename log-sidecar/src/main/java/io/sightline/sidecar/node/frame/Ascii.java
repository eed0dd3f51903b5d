package io.sightline.sidecar.node.frame;

/** Small byte-range helpers for the ASCII structure of runtime log lines. */
final class Ascii {

    private Ascii() {}

    /** Index of the first {@code b} in {@code bytes[from, to)}, or -1. */
    static int indexOf(byte[] bytes, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
