package io.sightline.sidecar.node.frame;

import java.nio.charset.StandardCharsets;

/**
 * One message out of a container log file: a whole line as the container wrote it (fragments merged),
 * or a line that was neither CRI nor json-file, passed on as it is. The object and its bytes are reused:
 * valid only during {@link FrameHandler#message}; copy what must outlive the call.
 */
public final class FramedMessage {

    /** {@link #runtimeTimeNanos()} of a message that carries no runtime time (unparsed). */
    public static final long NO_TIME = Long.MIN_VALUE;

    private byte[] bytes;
    private int offset;
    private int length;
    private LogStream stream;
    private long runtimeTimeNanos;
    private long startOffset;
    private long endOffset;
    private boolean truncated;
    private boolean unterminated;

    FramedMessage() {} // made and refilled by the framer only

    void set(
            byte[] bytes,
            int offset,
            int length,
            LogStream stream,
            long runtimeTimeNanos,
            long startOffset,
            long endOffset,
            boolean truncated,
            boolean unterminated) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.stream = stream;
        this.runtimeTimeNanos = runtimeTimeNanos;
        this.startOffset = startOffset;
        this.endOffset = endOffset;
        this.truncated = truncated;
        this.unterminated = unterminated;
    }

    /** The message's bytes are {@code bytes()[offset(), offset() + length())} (UTF-8 as the container wrote it). */
    public byte[] bytes() {
        return bytes;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** {@code stdout} or {@code stderr}; {@code null} when the line was not in the runtime's format. */
    public LogStream stream() {
        return stream;
    }

    /** Whether the line was in the file's runtime format ({@code false}: the caller counts it as unparsed). */
    public boolean parsed() {
        return stream != null;
    }

    /** The runtime's time of the message's first fragment, epoch nanoseconds; {@link #NO_TIME} when unparsed. */
    public long runtimeTimeNanos() {
        return runtimeTimeNanos;
    }

    /** File offset where the message's first line starts: a restart must read again from here. */
    public long startOffset() {
        return startOffset;
    }

    /** File offset after the message's last line (its newline included). */
    public long endOffset() {
        return endOffset;
    }

    /** Whether bytes beyond the framer's limit were dropped (the caller counts it). */
    public boolean truncated() {
        return truncated;
    }

    /** Whether the runtime's last fragment never came ({@link ContainerLogFramer#flush}); the message is what there was. */
    public boolean unterminated() {
        return unterminated;
    }

    /** The message as text (invalid UTF-8 as U+FFFD); allocates, for tests and diagnostics. */
    public String text() {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
}
