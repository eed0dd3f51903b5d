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

    private RewrittenEvent(
            ILoggingEvent original,
            String message,
            Map<String, String> mdc,
            List<KeyValuePair> keyValuePairs,
            IThrowableProxy throwable) {
        this.original = original;
        this.message = message;
        this.mdc = mdc;
        this.keyValuePairs = keyValuePairs;
        this.throwable = throwable;
    }

    /**
     * The event with its texts rewritten.
     * @param event a prepared logback event
     * @param rewrite what to do with each text
     * @return a rewritten view of the event, or the event itself when the rewrite changed nothing (the
     * common case, which then costs no allocation)
     */
    public static ILoggingEvent of(ILoggingEvent event, Rewrite rewrite) {
        String formatted = event.getFormattedMessage();
        String message = (formatted != null) ? rewrite.text(formatted) : null;
        Map<String, String> mdc = rewriteMdc(event.getMDCPropertyMap(), rewrite);
        List<KeyValuePair> keyValuePairs = rewriteKeyValuePairs(event.getKeyValuePairs(), rewrite);
        IThrowableProxy throwable = RewrittenThrowableProxy.of(event.getThrowableProxy(), rewrite::text);
        if (message == formatted
                && mdc == event.getMDCPropertyMap()
                && keyValuePairs == event.getKeyValuePairs()
                && throwable == null) {
            return event;
        }
        return new RewrittenEvent(event, message, mdc, keyValuePairs, throwable);
    }

    /**
     * Calls {@code visitor} with the message of the event's exception and of each cause and suppressed one.
     * @param event a logback event
     * @param visitor called once per exception message that is not {@code null}
     */
    public static void forEachExceptionMessage(ILoggingEvent event, Consumer<String> visitor) {
        RewrittenThrowableProxy.forEachMessage(event.getThrowableProxy(), visitor);
    }

    /** The same map when no value changed, else a rewritten copy. */
    private static Map<String, String> rewriteMdc(Map<String, String> mdc, Rewrite rewrite) {
        if (mdc == null || mdc.isEmpty()) {
            return mdc;
        }
        Map<String, String> rewritten = null;
        for (Map.Entry<String, String> entry : mdc.entrySet()) {
            String value = entry.getValue();
            String newValue = (value != null) ? rewrite.mdcValue(entry.getKey(), value) : null;
            if (newValue != value && rewritten == null) {
                rewritten = new LinkedHashMap<>(mdc);
            }
            if (rewritten != null) {
                rewritten.put(entry.getKey(), newValue);
            }
        }
        return (rewritten != null) ? rewritten : mdc;
    }

    /** The same list when no value changed, else a rewritten copy. */
    private static List<KeyValuePair> rewriteKeyValuePairs(List<KeyValuePair> pairs, Rewrite rewrite) {
        if (pairs == null || pairs.isEmpty()) {
            return pairs;
        }
        List<KeyValuePair> rewritten = null;
        for (int i = 0; i < pairs.size(); i++) {
            KeyValuePair pair = pairs.get(i);
            Object value = (pair.value != null) ? rewrite.keyValue(pair.key, pair.value) : null;
            if (value != pair.value && rewritten == null) {
                rewritten = new ArrayList<>(pairs.subList(0, i));
            }
            if (rewritten != null) {
                rewritten.add((value != pair.value) ? new KeyValuePair(pair.key, value) : pair);
            }
        }
        return (rewritten != null) ? rewritten : pairs;
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
