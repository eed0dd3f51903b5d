package io.sightline.sidecar.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Cuts a file's bytes into lines. Handles LF and CRLF, holds an incomplete last line until its
 * newline arrives (or {@link #flushPartial} after a timeout), and keeps at most
 * {@code maxLineBytes} of a line: the rest of an over-long line is skipped, the line marked
 * truncated, so a 10 MiB line costs no more memory than a 256 KiB one. A handler that refuses a
 * line stops the feed there: the caller reads the file again from that line's start later.
 */
final class LineSplitter {

    /** Receives each line; the byte range is only valid during the call. False: stop here. */
    interface LineHandler {
        boolean line(byte[] bytes, int offset, int length, long startOffset, long endOffset, boolean truncated);
    }

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final int maxLineBytes;
    private byte[] partial = new byte[512];
    private int partialLength;
    private long lineStart;
    private boolean overflowed;

    LineSplitter(int maxLineBytes, long startOffset) {
        this.maxLineBytes = maxLineBytes;
        this.lineStart = startOffset;
    }

    /**
     * {@code bytes[offset, offset+length)} are the file's bytes starting at file offset {@code fileOffset}.
     * False when the handler refused a line: nothing after it was taken, and this splitter is then to
     * be replaced by one starting at that line.
     */
    boolean feed(byte[] bytes, int offset, int length, long fileOffset, LineHandler handler) {
        int segment = offset;
        int end = offset + length;
        for (int i = newline(bytes, offset, end); i >= 0; i = newline(bytes, i + 1, end)) {
            long lineEnd = fileOffset + (i - offset) + 1;
            boolean taken;
            if (partialLength == 0 && !overflowed) {
                int lineLength = i - segment;
                boolean truncated = lineLength > maxLineBytes;
                taken = emit(
                        bytes, segment, truncated ? maxLineBytes : lineLength, !truncated, lineEnd, truncated, handler);
            } else {
                append(bytes, segment, i - segment);
                taken = emit(partial, 0, partialLength, !overflowed, lineEnd, overflowed, handler);
            }
            if (!taken) {
                return false;
            }
            segment = i + 1;
        }
        append(bytes, segment, end - segment);
        return true;
    }

    /**
     * Index of the first {@code \n} in {@code bytes[from, to)}, or -1. Eight bytes at a time: the sidecar runs
     * on C1 (the image's flags), which neither unrolls nor vectorises a byte loop, and this is the one loop
     * over every byte read (measured in docs/benchmarks.md).
     */
    private static int newline(byte[] bytes, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long word = (long) WORDS.get(bytes, i) ^ NEWLINES; // a newline is now a zero byte
            // the lowest high bit set marks the first zero byte (borrows only set bits above it)
            long zeros = (word - LOW_BITS) & ~word & HIGH_BITS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Bytes of the incomplete last line held in memory. */
    int partialBytes() {
        return partialLength;
    }

    boolean hasPartial() {
        return partialLength > 0 || overflowed;
    }

    /** Emits the incomplete last line as it is (the writer never finished it, or the file ended without a newline). */
    boolean flushPartial(long endOffset, LineHandler handler) {
        return !hasPartial() || emit(partial, 0, partialLength, false, endOffset, overflowed, handler);
    }

    private boolean emit(
            byte[] bytes,
            int offset,
            int length,
            boolean complete,
            long endOffset,
            boolean truncated,
            LineHandler handler) {
        int usable = length;
        if (complete && usable > 0 && bytes[offset + usable - 1] == '\r') {
            usable--;
        }
        if (!handler.line(bytes, offset, usable, lineStart, endOffset, truncated)) {
            return false;
        }
        lineStart = endOffset;
        partialLength = 0;
        overflowed = false;
        if (partial.length > 64 << 10) {
            partial = new byte[512]; // give back the memory of an unusually long line
        }
        return true;
    }

    private void append(byte[] bytes, int offset, int length) {
        int room = maxLineBytes - partialLength;
        int copied = Math.min(room, length);
        if (copied < length) {
            overflowed = true;
        }
        if (copied <= 0) {
            return;
        }
        if (partialLength + copied > partial.length) {
            byte[] grown = new byte[Math.min(maxLineBytes, Math.max(partial.length * 2, partialLength + copied))];
            System.arraycopy(partial, 0, grown, 0, partialLength);
            partial = grown;
        }
        System.arraycopy(bytes, offset, partial, partialLength, copied);
        partialLength += copied;
    }
}
