package io.sightline.telemetry.masking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * A logback event with its secrets masked: formatted message, MDC values, key/value pairs and the
 * messages of the exception and its causes. Everything else is read from the original event.
 * <p>
 * The original must already be prepared for deferred processing (message formatted, MDC copied).
 * The raw message pattern and its arguments are not exposed, as they would bypass masking.
 */
public final class MaskedLoggingEvent implements ILoggingEvent {

    private final ILoggingEvent original;

    private final String message;

    private final Map<String, String> mdc;

    private final List<KeyValuePair> keyValuePairs;

    private final IThrowableProxy throwable;

    private MaskedLoggingEvent(ILoggingEvent original, Masker masker) {
        this.original = original;
        this.message = masker.mask(original.getFormattedMessage());
        this.mdc = maskMdc(original.getMDCPropertyMap(), masker);
        this.keyValuePairs = maskKeyValuePairs(original.getKeyValuePairs(), masker);
        this.throwable = MaskedThrowableProxy.of(original.getThrowableProxy(), masker);
    }

    /**
     * The event as it may be written.
     * @param event a prepared logback event
     * @param masker the masking rules
     * @return a masked view of the event
     */
    public static ILoggingEvent of(ILoggingEvent event, Masker masker) {
        return new MaskedLoggingEvent(event, masker);
    }

    private static Map<String, String> maskMdc(Map<String, String> mdc, Masker masker) {
        if (mdc == null || mdc.isEmpty()) {
            return mdc;
        }
        Map<String, String> masked = new LinkedHashMap<>(mdc.size());
        mdc.forEach((key, value) -> masked.put(key, masker.maskValue(key, value)));
        return masked;
    }

    private static List<KeyValuePair> maskKeyValuePairs(List<KeyValuePair> pairs, Masker masker) {
        if (pairs == null || pairs.isEmpty()) {
            return pairs;
        }
        List<KeyValuePair> masked = new ArrayList<>(pairs.size());
        for (KeyValuePair pair : pairs) {
            masked.add(new KeyValuePair(pair.key, maskValue(pair.key, pair.value, masker)));
        }
        return masked;
    }

    /**
     * Numbers and booleans stay typed in JSON unless the key is sensitive; any other value becomes its
     * masked text. Never the object itself: a JSON writer would serialise it through its getters, secrets
     * its {@code toString()} leaves out included.
     */
    private static Object maskValue(String key, Object value, Masker masker) {
        if (value == null) {
            return null;
        }
        if (masker.isSensitiveKey(key)) {
            return Masker.MASK;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return masker.mask(value.toString());
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
