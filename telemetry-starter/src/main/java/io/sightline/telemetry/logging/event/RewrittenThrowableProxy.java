package io.sightline.telemetry.logging.event;

import java.util.Arrays;
import java.util.function.UnaryOperator;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * Logback's view of an exception with its message, and the messages of its causes and suppressed
 * exceptions, rewritten (truncated, masked). Class names and frames are the original's.
 */
final class RewrittenThrowableProxy implements IThrowableProxy {

    /** Guards against cause chains that loop back on themselves. */
    private static final int MAX_CHAIN_DEPTH = 64;

    private final IThrowableProxy original;

    private final String message;

    private final IThrowableProxy cause;

    private final IThrowableProxy[] suppressed;

    private RewrittenThrowableProxy(IThrowableProxy original, UnaryOperator<String> text, int depth) {
        this.original = original;
        this.message = (original.getMessage() != null) ? text.apply(original.getMessage()) : null;
        this.cause = (depth < MAX_CHAIN_DEPTH) ? of(original.getCause(), text, depth + 1) : null;
        IThrowableProxy[] originalSuppressed = original.getSuppressed();
        this.suppressed = (originalSuppressed == null || depth >= MAX_CHAIN_DEPTH)
                ? originalSuppressed
                : Arrays.stream(originalSuppressed)
                        .map(s -> of(s, text, depth + 1))
                        .toArray(IThrowableProxy[]::new);
    }

    static IThrowableProxy of(IThrowableProxy original, UnaryOperator<String> text) {
        return of(original, text, 0);
    }

    private static IThrowableProxy of(IThrowableProxy original, UnaryOperator<String> text, int depth) {
        return (original != null) ? new RewrittenThrowableProxy(original, text, depth) : null;
    }

    /** Calls {@code visitor} with the message of the exception and of each cause and suppressed one. */
    static void forEachMessage(IThrowableProxy throwable, java.util.function.Consumer<String> visitor) {
        forEachMessage(throwable, visitor, 0);
    }

    private static void forEachMessage(
            IThrowableProxy throwable, java.util.function.Consumer<String> visitor, int depth) {
        if (throwable == null || depth > MAX_CHAIN_DEPTH) {
            return;
        }
        if (throwable.getMessage() != null) {
            visitor.accept(throwable.getMessage());
        }
        forEachMessage(throwable.getCause(), visitor, depth + 1);
        if (throwable.getSuppressed() != null) {
            for (IThrowableProxy suppressed : throwable.getSuppressed()) {
                forEachMessage(suppressed, visitor, depth + 1);
            }
        }
    }

    @Override
    public String getMessage() {
        return this.message;
    }

    @Override
    public String getClassName() {
        return this.original.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
        return this.original.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
        return this.original.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
        return this.cause;
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
        return this.suppressed;
    }

    @Override
    public boolean isCyclic() {
        return this.original.isCyclic();
    }
}
