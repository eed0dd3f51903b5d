package io.sightline.local.parts;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.sightline.local.check.CheckReport;

/**
 * The parts of a run in start order. Starts them in that order, closes them in reverse, exactly once each, and
 * keeps closing when one of them fails to; a part whose start failed half-way is closed too. Safe to close from
 * the shutdown hook while the main thread starts or checks.
 */
public final class StackParts implements AutoCloseable {

    private final List<StackPart> parts;
    private final PrintStream err;
    /** The parts started (or being started) and not yet closed, newest first. */
    private final Deque<StackPart> open = new ArrayDeque<>();

    private boolean closed;

    public StackParts(List<StackPart> parts, PrintStream err) {
        this.parts = List.copyOf(parts);
        this.err = err;
    }

    /**
     * Starts every part in order, then waits until each answers.
     *
     * @throws IllegalStateException when the stack was closed meanwhile (Ctrl-C during the start)
     */
    public void start() throws IOException {
        for (StackPart part : parts) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("stopped while starting");
                }
                open.push(part);
            }
            part.start();
        }
        for (StackPart part : parts) {
            part.awaitReady();
        }
    }

    /** The lines every part prints, in start order. */
    public List<StackPart.Url> urls() {
        return parts.stream().flatMap(part -> part.urls().stream()).toList();
    }

    /**
     * Runs each part's check, newest first, and closes the part right after it (see {@link StackPart#check}). A
     * check that throws is reported as a failed stage named after the part.
     */
    public void checkAndClose(CheckReport report) {
        for (StackPart part = newestOpen(); part != null; part = newestOpen()) {
            try {
                part.check(report);
            } catch (RuntimeException e) {
                report.failed(name(part), "the check itself failed: " + e);
            } finally {
                closeQuietly(part);
            }
        }
    }

    /** Closes every part still open, newest first. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (StackPart part = newestOpen(); part != null; part = newestOpen()) {
            closeQuietly(part);
        }
    }

    private synchronized StackPart newestOpen() {
        return open.poll();
    }

    private void closeQuietly(StackPart part) {
        try {
            part.close();
        } catch (RuntimeException e) {
            // the parts after it must still end, and their processes with them
            err.println("sightline local: " + name(part) + " did not close cleanly: " + e);
        }
    }

    private static String name(StackPart part) {
        return part.getClass().getSimpleName();
    }
}
