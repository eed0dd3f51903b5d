package io.sightline.sidecar.source;

import java.nio.charset.StandardCharsets;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.sightline.sidecar.checkpoint.FileProgress;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.parse.RecordParser;
import io.sightline.sidecar.parse.Utf8;

/**
 * Turns one file's bytes into records: lines (LF, CRLF; longer lines truncated to the limit in UTF-8
 * bytes as shipped), JSON records parsed, plain-text stack traces joined, empty lines skipped. It holds
 * the unfinished last line and the record being joined, and reports what it holds to the intake, so
 * they count against the in-flight bound.
 * <p>When the intake refuses a record, framing stops there and says where the refused record starts
 * ({@link #refusedAt()}): the reader reads the file again from that offset later, with a fresh framing
 * state. Counters only count bytes past the furthest offset already counted, so a line read twice is
 * counted once.
 */
final class LineFraming {

    /** The counters of the input a file belongs to. */
    record Counters(CounterDataPoint linesRead, CounterDataPoint linesTruncated, CounterDataPoint linesUnparsed) {}

    private final int maxLineBytes;
    private final boolean multiline;
    private final RecordParser parser;
    private final Counters counters;
    private final RecordIntake intake;
    private String fileId;
    private FileProgress progress;
    private LineSplitter splitter;
    private MultilineJoiner joiner;
    private long readTimeNanos;
    private long refusedAt = -1;
    private long countedUpTo;
    private boolean countingThisLine;
    private boolean force;
    private long reportedHeld;

    LineFraming(int maxLineBytes, boolean multiline, Counters counters, RecordIntake intake) {
        this.maxLineBytes = maxLineBytes;
        this.multiline = multiline;
        this.counters = counters;
        this.intake = intake;
        this.parser = new RecordParser(() -> {
            if (countingThisLine) {
                counters.linesUnparsed().inc();
            }
        });
    }

    /** Starts framing at {@code offset} of the generation {@code fileId}, dropping whatever was held. */
    void start(String fileId, FileProgress progress, long offset) {
        if (!fileId.equals(this.fileId)) {
            countedUpTo = offset;
        }
        this.fileId = fileId;
        this.progress = progress;
        release();
        splitter = new LineSplitter(maxLineBytes, offset);
        joiner = new MultilineJoiner(multiline, maxLineBytes, this::joined);
        refusedAt = -1;
    }

    /**
     * Frames {@code bytes[offset, offset+length)}, the file's bytes from {@code fileOffset}; false when
     * the intake refused a record (see {@link #refusedAt()}).
     */
    boolean feed(byte[] bytes, int offset, int length, long fileOffset, long readTimeNanos) {
        this.readTimeNanos = readTimeNanos;
        boolean taken = splitter.feed(bytes, offset, length, fileOffset, this::line);
        reportHeld();
        return taken;
    }

    /** Ships the unfinished last line as it is, ending at {@code endOffset}; {@code force} beyond the bound. */
    boolean flushPartial(long endOffset, long readTimeNanos, boolean force) {
        this.readTimeNanos = readTimeNanos;
        this.force = force;
        try {
            boolean taken = splitter.flushPartial(endOffset, this::line) && joiner.flush();
            reportHeld();
            return taken;
        } finally {
            this.force = false;
        }
    }

    /** Ships the record being joined; {@code force} beyond the bound. */
    boolean flushPending(boolean force) {
        this.force = force;
        try {
            boolean taken = joiner.flush();
            reportHeld();
            return taken;
        } finally {
            this.force = false;
        }
    }

    boolean hasPartial() {
        return splitter.hasPartial();
    }

    boolean hasPending() {
        return joiner.hasPending();
    }

    /** Whether anything is held (an unfinished line or a record being joined). */
    boolean holds() {
        return splitter.hasPartial() || joiner.hasPending();
    }

    /** Where the refused record starts, after {@code feed} or a flush returned false. */
    long refusedAt() {
        return refusedAt;
    }

    /** Forgets what is held (the reader reads it again, or the file is done). */
    void release() {
        if (reportedHeld != 0) {
            intake.held(-reportedHeld);
            reportedHeld = 0;
        }
    }

    private boolean line(byte[] bytes, int offset, int length, long start, long end, boolean truncated) {
        countingThisLine = end > countedUpTo;
        if (length == 0) {
            if (!joiner.flush()) {
                return false;
            }
            progress.skipped(end);
            counted(end, truncated);
            return true;
        }
        if (bytes[offset] == '{') {
            if (!joiner.flush()) {
                return false;
            }
            LogRecord record =
                    parser.parseLine(bytes, offset, length, readTimeNanos, new SourcePosition(fileId, start, end));
            // invalid bytes decode to U+FFFD, three bytes each: the shipped text is what must fit
            boolean cut = truncated || !Utf8.fits(record.line(), maxLineBytes);
            if (cut) {
                record = record.withLine(Utf8.truncate(record.line(), maxLineBytes));
            }
            if (!deliver(record, start, end)) {
                return false;
            }
            counted(end, cut);
            return true;
        }
        String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
        boolean cut = truncated || !Utf8.fits(text, maxLineBytes);
        if (cut) {
            text = Utf8.truncate(text, maxLineBytes);
        }
        if (!joiner.line(text, start, end, readTimeNanos)) {
            return false;
        }
        counted(end, cut);
        return true;
    }

    private boolean joined(MultilineJoiner.Joined joined) {
        return deliver(
                RecordParser.plain(
                        joined.text(),
                        joined.readTimeNanos(),
                        new SourcePosition(fileId, joined.startOffset(), joined.endOffset())),
                joined.startOffset(),
                joined.endOffset());
    }

    private boolean deliver(LogRecord record, long start, long end) {
        if (!(force ? intake.force(record) : intake.offer(record))) {
            refusedAt = start;
            return false;
        }
        progress.emitted(end);
        return true;
    }

    private void counted(long end, boolean truncated) {
        if (countingThisLine) {
            counters.linesRead().inc();
            if (truncated) {
                counters.linesTruncated().inc();
            }
            countedUpTo = end;
        }
    }

    private void reportHeld() {
        long held = splitter.partialBytes() + joiner.pendingBytes();
        if (held != reportedHeld) {
            intake.held(held - reportedHeld);
            reportedHeld = held;
        }
    }
}
