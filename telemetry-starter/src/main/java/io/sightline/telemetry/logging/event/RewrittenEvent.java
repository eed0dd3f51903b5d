package io.sightline.telemetry.logging.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * A logback event with its free text rewritten (truncated at append time, masked before writing):
 * formatted message, MDC values, key/value pairs and the messages of the exception and its causes.
 * Everything else is read from the original event.
 * <p>
 * The original must already be prepared for deferred processing (message formatted, MDC copied).
 * The raw message pattern and its arguments are not exposed, as they would bypass the rewrite.
 */
public final class RewrittenEvent implements ILoggingEvent {

    /** How each kind of text is rewritten. */
    public interface Rewrite {

        /** The message, and each exception message, rewritten. */
        String text(String text);

        /** An MDC value rewritten. */
        String mdcValue(String key, String value);

        /** A key/value pair's value rewritten; never the object itself unless it is a number or boolean. */
        Object keyValue(String key, Object value);
    }

    private final ILoggingEvent original;

    private final String message;

    private final Map<String, String> mdc;

    private final List<KeyValuePair> keyValuePairs;

    private final IThrowableProxy throwable;

    private RewrittenEvent(ILoggingEvent original, Rewrite rewrite) {
        this.original = original;
        String formatted = original.getFormattedMessage();
        this.message = (formatted != null) ? rewrite.text(formatted) : null;
        this.mdc = rewriteMdc(original.getMDCPropertyMap(), rewrite);
        this.keyValuePairs = rewriteKeyValuePairs(original.getKeyValuePairs(), rewrite);
        this.throwable = RewrittenThrowableProxy.of(original.getThrowableProxy(), rewrite::text);
    }

    /**
     * The event with its texts rewritten.
     * @param event a prepared logback event
     * @param rewrite what to do with each text
     * @return a rewritten view of the event
     */
    public static ILoggingEvent of(ILoggingEvent event, Rewrite rewrite) {
        return new RewrittenEvent(event, rewrite);
    }

    /**
     * Calls {@code visitor} with the message of the event's exception and of each cause and suppressed one.
     * @param event a logback event
     * @param visitor called once per exception message that is not {@code null}
     */
    public static void forEachExceptionMessage(ILoggingEvent event, Consumer<String> visitor) {
        RewrittenThrowableProxy.forEachMessage(event.getThrowableProxy(), visitor);
    }

    private static Map<String, String> rewriteMdc(Map<String, String> mdc, Rewrite rewrite) {
        if (mdc == null || mdc.isEmpty()) {
            return mdc;
        }
        Map<String, String> rewritten = new LinkedHashMap<>(mdc.size());
        mdc.forEach((key, value) -> rewritten.put(key, (value != null) ? rewrite.mdcValue(key, value) : null));
        return rewritten;
    }

    private static List<KeyValuePair> rewriteKeyValuePairs(List<KeyValuePair> pairs, Rewrite rewrite) {
        if (pairs == null || pairs.isEmpty()) {
            return pairs;
        }
        List<KeyValuePair> rewritten = new ArrayList<>(pairs.size());
        for (KeyValuePair pair : pairs) {
            rewritten.add(
                    new KeyValuePair(pair.key, (pair.value != null) ? rewrite.keyValue(pair.key, pair.value) : null));
        }
        return rewritten;
    }

    @Override
    public String getFormattedMessage() {
        return this.message;
    }

    @Override
    public String getMessage() {
        return this.message;
    }

    @Override
    public Object[] getArgumentArray() {
        return null;
    }

    @Override
    public Map<String, String> getMDCPropertyMap() {
        return this.mdc;
    }

    @Override
    @Deprecated
    public Map<String, String> getMdc() {
        return this.mdc;
    }

    @Override
    public List<KeyValuePair> getKeyValuePairs() {
        return this.keyValuePairs;
    }

    @Override
    public IThrowableProxy getThrowableProxy() {
        return this.throwable;
    }

    @Override
    public String getThreadName() {
        return this.original.getThreadName();
    }

    @Override
    public Level getLevel() {
        return this.original.getLevel();
    }

    @Override
    public String getLoggerName() {
        return this.original.getLoggerName();
    }

    @Override
    public LoggerContextVO getLoggerContextVO() {
        return this.original.getLoggerContextVO();
    }

    @Override
    public StackTraceElement[] getCallerData() {
        return this.original.getCallerData();
    }

    @Override
    public boolean hasCallerData() {
        return this.original.hasCallerData();
    }

    @Override
    public List<Marker> getMarkerList() {
        return this.original.getMarkerList();
    }

    @Override
    public long getTimeStamp() {
        return this.original.getTimeStamp();
    }

    @Override
    public int getNanoseconds() {
        return this.original.getNanoseconds();
    }

    @Override
    public Instant getInstant() {
        return this.original.getInstant();
    }

    @Override
    public long getSequenceNumber() {
        return this.original.getSequenceNumber();
    }

    @Override
    public void prepareForDeferredProcessing() {
        // Already prepared: the constructor read the formatted message and MDC.
    }

    @Override
    public String toString() {
        return "[" + getLevel() + "] " + this.message;
    }
}
