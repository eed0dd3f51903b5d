package io.sightline.sidecar.source;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Joins a plain-text Java stack trace into one record: a line continues the previous one when it
 * is indented, or starts with {@code at }, {@code Caused by:}, {@code Suppressed:} or
 * {@code ... N more}. JSON records never reach this class (they carry their stack trace inside).
 * A joined record is never longer than the line limit; the next part starts a new record.
 */
final class MultilineJoiner {

    /** A finished record: text plus the byte range it covers and when its first line was read. */
    record Joined(String text, long startOffset, long endOffset, long readTimeNanos) {}

    private static final Pattern MORE = Pattern.compile("\\.\\.\\. \\d+ (more|common frames omitted)");

    private final boolean enabled;
    private final int maxChars;
    private final Consumer<Joined> downstream;
    private StringBuilder pending;
    private long pendingStart;
    private long pendingEnd;
    private long pendingReadTime;

    MultilineJoiner(boolean enabled, int maxChars, Consumer<Joined> downstream) {
        this.enabled = enabled;
        this.maxChars = maxChars;
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
        if (pending != null && isContinuation(text) && pending.length() + 1 + text.length() <= maxChars) {
            pending.append('\n').append(text);
            pendingEnd = endOffset;
            return;
        }
        flush();
        pending = new StringBuilder(text);
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
