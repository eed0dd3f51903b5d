package io.sightline.sidecar.node.frame;

import io.sightline.sidecar.parse.Rfc3339Timestamps;

/**
 * Turns the lines of one container log file into messages. The format (CRI or Docker json-file) is
 * taken from the first line that is either, and kept for the file. Fragments of a long line
 * (CRI {@code P}; json-file entries without a trailing newline) are merged per stream, so stdout and
 * stderr interleaved in one file do not mix, until the stream's final fragment. A merged message keeps
 * at most {@code maxMessageBytes}: the rest is dropped and the message marked
 * {@linkplain FramedMessage#truncated() truncated}, so a runaway line costs no more memory than the
 * limit. A line in neither format is passed on as it is, unparsed. A complete message loses one
 * trailing {@code \r} (a CRLF-writing program), as the sidecar's plain lines do.
 *
 * <p>Input is what a line splitter hands out: a physical line without its newline and the file
 * offsets it spans. One framer per file; not thread-safe; never throws on any input.
 */
public final class ContainerLogFramer {

    private static final byte[] NO_BYTES = new byte[0];

    private final int maxMessageBytes;
    private final Rfc3339Timestamps timestamps = new Rfc3339Timestamps();
    private final CriLines cri = new CriLines(timestamps);
    private final DockerJsonLines dockerJson = new DockerJsonLines(timestamps);
    private final ParsedLine parsed = new ParsedLine();
    private final FramedMessage message = new FramedMessage();
    private final PendingMessage[] pending = new PendingMessage[LogStream.values().length];
    /** Streams with an unfinished line: asked after every line, and nearly always 0. */
    private int pendingStreams;

    private ContainerLogFormat format;

    public ContainerLogFramer(int maxMessageBytes) {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The file's format, {@code null} until a line in either format was seen. */
    public ContainerLogFormat format() {
        return format;
    }

    /**
     * One physical line, {@code bytes[offset, offset + length)} without its newline, spanning file offsets
     * {@code [startOffset, endOffset)}; {@code lineTruncated} when the splitter already cut it.
     */
    public void line(
            byte[] bytes,
            int offset,
            int length,
            long startOffset,
            long endOffset,
            boolean lineTruncated,
            FrameHandler handler) {
        if (!parse(bytes, offset, offset + length)) {
            emit(
                    bytes,
                    offset,
                    length,
                    null,
                    FramedMessage.NO_TIME,
                    startOffset,
                    endOffset,
                    lineTruncated,
                    false,
                    handler);
            return;
        }
        PendingMessage stream = pending[parsed.stream.ordinal()];
        if (parsed.partial) {
            if (stream == null) {
                stream = pending[parsed.stream.ordinal()] = new PendingMessage();
            }
            if (stream.isEmpty()) {
                pendingStreams++;
            }
            stream.append(parsed, startOffset, endOffset, lineTruncated, maxMessageBytes);
        } else if (stream == null || stream.isEmpty()) {
            emit(
                    parsed.bytes,
                    parsed.offset,
                    parsed.length,
                    parsed.stream,
                    parsed.timeNanos,
                    startOffset,
                    endOffset,
                    lineTruncated,
                    false,
                    handler);
        } else {
            stream.append(parsed, startOffset, endOffset, lineTruncated, maxMessageBytes);
            emitPending(stream, parsed.stream, false, handler);
        }
    }

    /**
     * Emits what is pending of unfinished lines, marked {@linkplain FramedMessage#unterminated() unterminated}:
     * for a file that will get no more lines (rotated and drained, container gone), or after a timeout.
     */
    public void flush(FrameHandler handler) {
        for (LogStream stream : LogStream.values()) {
            PendingMessage p = pending[stream.ordinal()];
            if (p != null && !p.isEmpty()) {
                emitPending(p, stream, true, handler);
            }
        }
    }

    /** Bytes held in unfinished lines (they count against the in-flight bound). */
    public int pendingBytes() {
        if (pendingStreams == 0) {
            return 0;
        }
        int bytes = 0;
        for (PendingMessage p : pending) {
            if (p != null && !p.isEmpty()) {
                bytes += p.length;
            }
        }
        return bytes;
    }

    public boolean hasPending() {
        return pendingStreams > 0;
    }

    /**
     * The file offset of the oldest fragment not yet part of an emitted message, or -1: a checkpoint must not
     * move past it, or a restart would lose the beginning of that line.
     */
    public long pendingStartOffset() {
        if (pendingStreams == 0) {
            return -1;
        }
        long oldest = -1;
        for (PendingMessage p : pending) {
            if (p != null && !p.isEmpty() && (oldest < 0 || p.startOffset < oldest)) {
                oldest = p.startOffset;
            }
        }
        return oldest;
    }

    private boolean parse(byte[] bytes, int from, int to) {
        if (format == ContainerLogFormat.CRI) {
            return cri.parse(bytes, from, to, parsed);
        }
        if (format == ContainerLogFormat.DOCKER_JSON) {
            return dockerJson.parse(bytes, from, to, parsed);
        }
        if (from < to && bytes[from] == '{' && dockerJson.parse(bytes, from, to, parsed)) {
            format = ContainerLogFormat.DOCKER_JSON;
            return true;
        }
        if (cri.parse(bytes, from, to, parsed)) {
            format = ContainerLogFormat.CRI;
            return true;
        }
        return false;
    }

    private void emitPending(PendingMessage p, LogStream stream, boolean unterminated, FrameHandler handler) {
        // fragments may all have been empty: nothing was ever buffered
        byte[] bytes = p.bytes == null ? NO_BYTES : p.bytes;
        int length = p.length;
        long timeNanos = p.timeNanos;
        long startOffset = p.startOffset;
        long endOffset = p.endOffset;
        boolean truncated = p.truncated;
        // cleared before the handler runs (the bytes stay until the next append): during the call,
        // pendingStartOffset() names only lines still unfinished, so a checkpoint may pass this one
        p.clear();
        pendingStreams--;
        emit(bytes, 0, length, stream, timeNanos, startOffset, endOffset, truncated, unterminated, handler);
    }

    private void emit(
            byte[] bytes,
            int offset,
            int length,
            LogStream stream,
            long timeNanos,
            long startOffset,
            long endOffset,
            boolean truncated,
            boolean unterminated,
            FrameHandler handler) {
        int kept = length;
        boolean cut = truncated;
        if (kept > maxMessageBytes) {
            kept = maxMessageBytes;
            cut = true;
        }
        if (!cut && !unterminated && kept > 0 && bytes[offset + kept - 1] == '\r') {
            kept--;
        }
        message.set(bytes, offset, kept, stream, timeNanos, startOffset, endOffset, cut, unterminated);
        handler.message(message);
    }

    /** The fragments of one stream's line so far, up to the limit. */
    private static final class PendingMessage {

        private static final int INITIAL = 1024;
        private static final int KEEP = 64 << 10;

        byte[] bytes;
        int length;
        long startOffset = -1;
        long endOffset;
        long timeNanos;
        boolean truncated;

        boolean isEmpty() {
            return startOffset < 0;
        }

        void append(ParsedLine fragment, long lineStart, long lineEnd, boolean lineTruncated, int limit) {
            if (isEmpty()) {
                startOffset = lineStart;
                timeNanos = fragment.timeNanos; // the line's time is when it began
            }
            endOffset = lineEnd;
            truncated |= lineTruncated;
            int copied = Math.min(fragment.length, limit - length);
            if (copied < fragment.length) {
                truncated = true;
            }
            if (copied <= 0) {
                return;
            }
            if (bytes == null || length + copied > bytes.length) {
                int grown = Math.max(INITIAL, bytes == null ? 0 : bytes.length * 2);
                byte[] larger = new byte[Math.min(limit, Math.max(grown, length + copied))];
                if (bytes != null) {
                    System.arraycopy(bytes, 0, larger, 0, length);
                }
                bytes = larger;
            }
            System.arraycopy(fragment.bytes, fragment.offset, bytes, length, copied);
            length += copied;
        }

        void clear() {
            length = 0;
            startOffset = -1;
            truncated = false;
            if (bytes != null && bytes.length > KEEP) {
                bytes = null; // give back the memory of an unusually long line
            }
        }
    }
}
