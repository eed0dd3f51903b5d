package io.sightline.sidecar.source;

import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.sightline.sidecar.parse.Utf8;

/**
 * Joins a plain-text Java stack trace into one record: a line continues the previous one when it
 * is indented, or starts with {@code at }, {@code Caused by:}, {@code Suppressed:} or
 * {@code ... N more}. JSON records never reach this class (they carry their stack trace inside).
 * A joined record is never longer than the line limit in UTF-8 bytes (as sinks count it); the next
 * part starts a new record.
 */
final class MultilineJoiner {

    /** A finished record: text plus the byte range it covers and when its first line was read. */
    record Joined(String text, long startOffset, long endOffset, long readTimeNanos) {}

    private static final Pattern MORE = Pattern.compile("\\.\\.\\. \\d+ (more|common frames omitted)");

    private final boolean enabled;
    private final int maxBytes;
    private final Consumer<Joined> downstream;
    private StringBuilder pending;
    private int pendingBytes;
    private long pendingStart;
    private long pendingEnd;
    private long pendingReadTime;

    MultilineJoiner(boolean enabled, int maxBytes, Consumer<Joined> downstream) {
        this.enabled = enabled;
        this.maxBytes = maxBytes;
        this.downstream = downstream;
    }

    static boolean isContinuation(String line) {
        if (line.isEmpty()) {
            return false;
        }
        char first = line.charAt(0);
        return first == ' '
                || first == '\t'
                || line.startsWith("at ")
                || line.startsWith("Caused by:")
                || line.startsWith("Suppressed:")
                || MORE.matcher(line).lookingAt();
    }

    void line(String text, long startOffset, long endOffset, long readTimeNanos) {
        if (!enabled) {
            downstream.accept(new Joined(text, startOffset, endOffset, readTimeNanos));
            return;
        }
        int bytes = Utf8.length(text);
        if (pending != null && isContinuation(text) && pendingBytes + 1 + bytes <= maxBytes) {
            pending.append('\n').append(text);
            pendingBytes += 1 + bytes;
            pendingEnd = endOffset;
            return;
        }
        flush();
        pending = new StringBuilder(text);
        pendingBytes = bytes;
        pendingStart = startOffset;
        pendingEnd = endOffset;
        pendingReadTime = readTimeNanos;
    }

    boolean hasPending() {
        return pending != null;
    }

    /** Emits the record being joined: the next line is not a continuation, or none came in time. */
    void flush() {
        if (pending != null) {
            Joined joined = new Joined(pending.toString(), pendingStart, pendingEnd, pendingReadTime);
            pending = null;
            downstream.accept(joined);
        }
    }
}
