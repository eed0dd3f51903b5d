package io.sightline.sidecar.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The byte searches that run over every byte read, eight bytes at a time: the sidecar runs on C1 (the image's
 * flags), which neither unrolls nor vectorises a byte loop (measured in docs/benchmarks.md). A word is read
 * little-endian, so its lowest byte comes first, and each search marks the high bit of every byte it looks for.
 * A mark can be wrong only above a right one (a borrow moves up, never down), so the lowest mark is exact.
 */
public final class ByteSearch {

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long NEWLINES = LOW_BITS * '\n';
    private static final long QUOTES = LOW_BITS * '"';
    private static final long BACKSLASHES = LOW_BITS * '\\';
    private static final long DELETES = LOW_BITS * 0x7f;
    private static final long SPACES = LOW_BITS * ' ';

    private ByteSearch() {}

    /** Index of the first {@code \n} in {@code bytes[from, to)}, or -1. */
    public static int newline(byte[] bytes, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long marks = zeros(word(bytes, i) ^ NEWLINES);
            if (marks != 0) {
                return first(i, marks);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Index of the first byte in {@code bytes[from, to)} that a run of plain JSON string text cannot hold: a quote,
     * a backslash, a control byte ({@code < 0x20} or {@code 0x7f}) or a non-ASCII one; -1 when there is none.
     */
    public static int stringStop(byte[] bytes, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long word = word(bytes, i);
            long marks = zeros(word ^ QUOTES)
                    | zeros(word ^ BACKSLASHES)
                    | zeros(word ^ DELETES)
                    // below 0x20 (a borrow without the byte's own high bit), or the high bit itself (non-ASCII)
                    | (((word - SPACES) & ~word) | word) & HIGH_BITS;
            if (marks != 0) {
                return first(i, marks);
            }
        }
        for (; i < to; i++) {
            byte b = bytes[i];
            if (b == '"' || b == '\\' || b < 0x20 || b == 0x7f) { // a non-ASCII byte is negative
                return i;
            }
        }
        return -1;
    }

    private static long word(byte[] bytes, int i) {
        return (long) WORDS.get(bytes, i);
    }

    /** The high bit of the first zero byte of {@code word} (and maybe of bytes above it). */
    private static long zeros(long word) {
        return (word - LOW_BITS) & ~word & HIGH_BITS;
    }

    private static int first(int i, long marks) {
        return i + (Long.numberOfTrailingZeros(marks) >>> 3);
    }
}
