package io.sightline.telemetry.masking;

import java.util.Arrays;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * Logback's view of an exception with its message, and the messages of its causes and suppressed
 * exceptions, masked. Class names and frames are the original's.
 */
final class MaskedThrowableProxy implements IThrowableProxy {

    /** Guards against cause chains that loop back on themselves. */
    private static final int MAX_CHAIN_DEPTH = 64;

    private final IThrowableProxy original;

    private final String message;

    private final IThrowableProxy cause;

    private final IThrowableProxy[] suppressed;

    private MaskedThrowableProxy(IThrowableProxy original, Masker masker, int depth) {
        this.original = original;
        this.message = masker.mask(original.getMessage());
        this.cause = (depth < MAX_CHAIN_DEPTH) ? of(original.getCause(), masker, depth + 1) : null;
        IThrowableProxy[] originalSuppressed = original.getSuppressed();
        this.suppressed = (originalSuppressed == null || depth >= MAX_CHAIN_DEPTH)
                ? originalSuppressed
                : Arrays.stream(originalSuppressed)
                        .map(s -> of(s, masker, depth + 1))
                        .toArray(IThrowableProxy[]::new);
    }

    static IThrowableProxy of(IThrowableProxy original, Masker masker) {
        return of(original, masker, 0);
    }

    private static IThrowableProxy of(IThrowableProxy original, Masker masker, int depth) {
        return (original != null) ? new MaskedThrowableProxy(original, masker, depth) : null;
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
