package io.sightline.sidecar.node.frame;

/** One physical line as a runtime framed it: a fragment of a message. Reused per line. */
final class ParsedLine {

    LogStream stream;
    long timeNanos;
    /** {@code P} (CRI) or no trailing newline (json-file): more of this stream's message follows. */
    boolean partial;

    byte[] bytes;
    int offset;
    int length;

    void set(LogStream stream, long timeNanos, boolean partial, byte[] bytes, int offset, int length) {
        this.stream = stream;
        this.timeNanos = timeNanos;
        this.partial = partial;
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }
}
