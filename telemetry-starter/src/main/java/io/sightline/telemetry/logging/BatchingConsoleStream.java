package io.sightline.telemetry.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * Standard output for the log writer: lines are collected in memory and handed to {@link System#out}
 * in one write per batch ({@link #flush()}), not one write (and one system call) per line.
 * {@code System.out} is looked up at every flush, so a replaced standard output (tests capturing it)
 * gets the lines. Used by one thread only, the log writer.
 */
final class BatchingConsoleStream extends OutputStream {

    /** Collected bytes beyond this are written out at once, so a burst never holds much memory. */
    private static final int MAX_BUFFERED = 64 * 1024;

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(MAX_BUFFERED);

    @Override
    public void write(int b) {
        this.buffer.write(b);
        flushIfFull();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        this.buffer.write(bytes, offset, length);
        flushIfFull();
    }

    private void flushIfFull() {
        if (this.buffer.size() >= MAX_BUFFERED) {
            flush();
        }
    }

    @Override
    public void flush() {
        if (this.buffer.size() == 0) {
            return;
        }
        PrintStream out = System.out;
        // One write of the whole buffer; PrintStream never throws (it records errors instead).
        try {
            this.buffer.writeTo(out);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // declared by writeTo, never thrown by a PrintStream
        }
        out.flush();
        this.buffer.reset();
    }

    @Override
    public void close() {
        flush(); // never closes System.out
    }
}
