package io.sightline.sidecar.source;

import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.sightline.sidecar.parse.Utf8;

/**
 * Joins a plain-text Java stack trace into one record: a line continues the previous one when it
 * is indented, or starts with {@code at }, {@code Caused by:}, {@code Suppressed:} or
 * {@code ... N more}. JSON records never reach this class (they carry their stack trace inside).
 * A joined record is never longer than the line limit in UTF-8 bytes (as sinks count it); the next
 * part starts a new record. The downstream may refuse a record (the in-flight bound is reached):
 * it then stays pending, and the line that would have followed is not taken.
 */
final class MultilineJoiner {

    /** A finished record: text plus the byte range it covers and when its first line was read. */
    record Joined(String text, long startOffset, long endOffset, long readTimeNanos) {}

    private static final Pattern MORE = Pattern.compile("\\.\\.\\. \\d+ (more|common frames omitted)");

    private final boolean enabled;
    private final int maxBytes;
    private final Predicate<Joined> downstream;
    private StringBuilder pending;
    private int pendingBytes;
    private long pendingStart;
    private long pendingEnd;
    private long pendingReadTime;

    MultilineJoiner(boolean enabled, int maxBytes, Predicate<Joined> downstream) {
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

    /** False when the record before this line was refused downstream: this line was not taken. */
    boolean line(String text, long startOffset, long endOffset, long readTimeNanos) {
        if (!enabled) {
            return downstream.test(new Joined(text, startOffset, endOffset, readTimeNanos));
        }
        int bytes = Utf8.length(text);
        if (pending != null && isContinuation(text) && pendingBytes + 1 + bytes <= maxBytes) {
            pending.append('\n').append(text);
            pendingBytes += 1 + bytes;
            pendingEnd = endOffset;
            return true;
        }
        if (!flush()) {
            return false;
        }
        pending = new StringBuilder(text);
        pendingBytes = bytes;
        pendingStart = startOffset;
        pendingEnd = endOffset;
        pendingReadTime = readTimeNanos;
        return true;
    }

    boolean hasPending() {
        return pending != null;
    }

    /** Bytes (UTF-8) of the record being joined. */
    int pendingBytes() {
        return pending == null ? 0 : pendingBytes;
    }

    /** Emits the record being joined (the next line is not a continuation, or none came in time); false if refused. */
    boolean flush() {
        if (pending == null) {
            return true;
        }
        if (!downstream.test(new Joined(pending.toString(), pendingStart, pendingEnd, pendingReadTime))) {
            return false;
        }
        pending = null;
        return true;
    }
}
