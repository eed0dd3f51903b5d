package io.sightline.sidecar.checkpoint;

import java.nio.file.Path;

/**
 * How far one file (one identity) got: everything before {@link #committedOffset()} was
 * acknowledged by the sink or deliberately skipped (empty lines), so a restart resumes there.
 * Updated by the reader (emitted/skipped) and the delivery stage (acknowledged); records of a
 * file are acknowledged in the order they were emitted, which makes the highest acknowledged end
 * offset a safe resume point.
 */
public final class FileProgress {

    private final String fileId;
    private final String input;
    private volatile Path path;
    private long safeOffset;
    private long acknowledgedEnd;
    private int inFlight;
    private long size;
    private boolean closed;

    FileProgress(String fileId, String input, Path path, long startOffset) {
        this.fileId = fileId;
        this.input = input;
        this.path = path;
        this.safeOffset = startOffset;
        this.acknowledgedEnd = startOffset;
        this.size = startOffset;
    }

    public String fileId() {
        return fileId;
    }

    public String input() {
        return input;
    }

    public Path path() {
        return path;
    }

    public void movedTo(Path newPath) {
        this.path = newPath;
    }

    /** A record ending at {@code endOffset} was handed to the delivery stage. */
    public synchronized void emitted(long endOffset) {
        inFlight++;
        safeOffset = endOffset;
    }

    /** Bytes up to {@code endOffset} produced no record (an empty line) and need no acknowledgement. */
    public synchronized void skipped(long endOffset) {
        safeOffset = endOffset;
    }

    synchronized void acknowledged(long endOffset, int records) {
        inFlight -= records;
        acknowledgedEnd = Math.max(acknowledgedEnd, endOffset);
    }

    /** Where a restart resumes: acknowledged records and skipped bytes only, never a record still in flight. */
    public synchronized long committedOffset() {
        return inFlight == 0 ? safeOffset : acknowledgedEnd;
    }

    public synchronized void sizeSeen(long bytes) {
        size = Math.max(size, bytes);
    }

    public synchronized long size() {
        return size;
    }

    /** The reader is done with this file (drained after rotation, or superseded after truncation). */
    public synchronized void close() {
        closed = true;
    }

    synchronized boolean finished() {
        return closed && inFlight == 0;
    }

    synchronized long lag() {
        return Math.max(0, size - committedOffset());
    }
}
