package io.sightline.sidecar.source;

import java.nio.charset.StandardCharsets;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.sightline.sidecar.checkpoint.FileProgress;
import io.sightline.sidecar.node.frame.ContainerLogFramer;
import io.sightline.sidecar.node.frame.FrameHandler;
import io.sightline.sidecar.node.frame.FramedMessage;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.parse.RecordParser;
import io.sightline.sidecar.parse.Utf8;

/**
 * Turns one file's bytes into records: lines (LF, CRLF; longer lines truncated to the limit in UTF-8
 * bytes as shipped), JSON records parsed, plain-text stack traces joined, empty lines skipped. It holds
 * the unfinished last line and the record being joined, and reports what it holds to the intake, so
 * they count against the in-flight bound.
 * <p>A container's log file (the node agent's, {@link FileOrigins.Origin#isContainerLog()}) is framed
 * first by its runtime's format ({@link ContainerLogFramer}: CRI or json-file, fragments merged per
 * stream); each message is a record of that container, stamped with the runtime's time unless it is a
 * JSON record with its own, and never joined with others (the two streams interleave). A checkpoint
 * does not pass the start of a line still unfinished on the other stream.
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
    private final FileOrigins.Origin origin;
    private final LineSplitter.LineHandler lines;
    private final FrameHandler containerMessages = this::containerMessage;
    private ContainerLogFramer containerFramer;
    private boolean refused;
    /** Where the current container line's record was delivered up to (-1: none): the progress is there already. */
    private long deliveredUpTo = -1;

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

    /** {@code namespaceField}: the JSON field naming a record's namespace, or null (see {@link RecordParser}). */
    LineFraming(int maxLineBytes, boolean multiline, String namespaceField, Counters counters, RecordIntake intake) {
        this(maxLineBytes, multiline, namespaceField, counters, intake, FileOrigins.Origin.SIDECAR);
    }

    LineFraming(
            int maxLineBytes,
            boolean multiline,
            String namespaceField,
            Counters counters,
            RecordIntake intake,
            FileOrigins.Origin origin) {
        this.maxLineBytes = maxLineBytes;
        // lines of two output streams interleave in a container's file: no joining across them
        this.multiline = multiline && !origin.isContainerLog();
        this.origin = origin;
        this.lines = origin.isContainerLog() ? this::containerLine : this::line;
        this.counters = counters;
        this.intake = intake;
        this.parser = new RecordParser(
                () -> {
                    if (countingThisLine) {
                        counters.linesUnparsed().inc();
                    }
                },
                namespaceField);
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
        containerFramer = origin.isContainerLog() ? new ContainerLogFramer(maxLineBytes) : null;
        refusedAt = -1;
    }

    /**
     * Frames {@code bytes[offset, offset+length)}, the file's bytes from {@code fileOffset}; false when
     * the intake refused a record (see {@link #refusedAt()}).
     */
    boolean feed(byte[] bytes, int offset, int length, long fileOffset, long readTimeNanos) {
        this.readTimeNanos = readTimeNanos;
        boolean taken = splitter.feed(bytes, offset, length, fileOffset, lines);
        reportHeld();
        return taken;
    }

    /** Ships the unfinished last line as it is, ending at {@code endOffset}; {@code force} beyond the bound. */
    boolean flushPartial(long endOffset, long readTimeNanos, boolean force) {
        this.readTimeNanos = readTimeNanos;
        this.force = force;
        try {
            boolean taken = splitter.flushPartial(endOffset, lines) && joiner.flush();
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
            boolean taken = joiner.flush() && flushContainerLines();
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
        return joiner.hasPending() || (containerFramer != null && containerFramer.hasPending());
    }

    /** Whether anything is held (an unfinished line, a record being joined, fragments of a container's line). */
    boolean holds() {
        return splitter.hasPartial() || hasPending();
    }

    /**
     * Whether shipping what is held would certainly be refused now: records wait in the bound and it has no room
     * for these bytes. Then they stay held (and counted) rather than be given up and read again, which would only
     * hand their room to another file's fragment and read this one again later.
     */
    boolean heldWouldBeRefused() {
        return reportedHeld > 0 && !intake.idle() && intake.room() < reportedHeld;
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
            boolean cut = truncated || record.lineBytes().length > maxLineBytes;
            if (cut) {
                record = fitted(record);
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

    /** A physical line of a container's log file, through the runtime's framing. */
    private boolean containerLine(byte[] bytes, int offset, int length, long start, long end, boolean truncated) {
        refused = false;
        deliveredUpTo = -1;
        containerFramer.line(bytes, offset, length, start, end, truncated, containerMessages);
        if (!refused && deliveredUpTo != end && !containerFramer.hasPending()) {
            // a line that made no record (empty) and left nothing unfinished: nothing to acknowledge up to its end
            progress.skipped(Math.max(end, 0));
        }
        return !refused;
    }

    /** Ships the fragments of unfinished lines as they are (the file ends, or they waited their timeout). */
    private boolean flushContainerLines() {
        if (containerFramer == null) {
            return true;
        }
        refused = false;
        containerFramer.flush(containerMessages);
        return !refused;
    }

    private void containerMessage(FramedMessage message) {
        if (refused) {
            return; // the reader reads again from the refused record
        }
        countingThisLine = message.endOffset() > countedUpTo;
        long unfinished = containerFramer.pendingStartOffset();
        // resuming at the end of this record must not skip the start of another stream's unfinished line
        long safeEnd = unfinished >= 0 ? Math.min(message.endOffset(), unfinished) : message.endOffset();
        long restart = unfinished >= 0 ? Math.min(message.startOffset(), unfinished) : message.startOffset();
        if (message.length() == 0) {
            counted(message.endOffset(), message.truncated());
            return;
        }
        long time = message.runtimeTimeNanos() == FramedMessage.NO_TIME ? readTimeNanos : message.runtimeTimeNanos();
        LogRecord record = parser.parseLine(
                message.bytes(),
                message.offset(),
                message.length(),
                time,
                new SourcePosition(fileId, message.startOffset(), safeEnd),
                origin.container(),
                message.stream() == null ? null : message.stream().label(),
                origin.serviceName());
        boolean cut = message.truncated() || record.lineBytes().length > maxLineBytes;
        if (cut) {
            record = fitted(record);
        }
        if (!deliver(record, restart, safeEnd)) {
            refused = true;
            return;
        }
        deliveredUpTo = safeEnd;
        counted(message.endOffset(), cut);
    }

    /** Invalid bytes become U+FFFD, three bytes each: the shipped bytes are what must fit. */
    private LogRecord fitted(LogRecord record) {
        return record.withLine(Utf8.truncate(record.lineBytes(), maxLineBytes));
    }

    private boolean joined(MultilineJoiner.Joined joined) {
        return deliver(
                parser.plain(
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
        long held = splitter.partialBytes()
                + joiner.pendingBytes()
                + (containerFramer == null ? 0 : containerFramer.pendingBytes());
        if (held != reportedHeld) {
            intake.held(held - reportedHeld);
            reportedHeld = held;
        }
    }
}
