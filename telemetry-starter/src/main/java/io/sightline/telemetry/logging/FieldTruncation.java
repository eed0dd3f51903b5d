package io.sightline.telemetry.logging;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.sightline.telemetry.logging.event.RewrittenEvent;
import org.slf4j.event.KeyValuePair;

/**
 * Cuts overlong free text at append time, before an event is queued: the message, each exception
 * message, and each MDC and key/value value longer than {@code maxChars} keeps its first
 * {@code maxChars} characters followed by {@value #MARK}. Events with a cut are counted.
 * <p>
 * Runs on the logging thread, so the common case (nothing too long) only reads lengths and allocates
 * nothing. Key/value objects other than strings, numbers and booleans are turned into text here too,
 * once (their {@code toString()} as it was when logged).
 */
final class FieldTruncation implements RewrittenEvent.Rewrite {

    /** Ends a cut text, so a reader knows more was there. */
    static final String MARK = "…[truncated]";

    private final int maxChars;

    private final LongAdder truncatedEvents = new LongAdder();

    FieldTruncation(int maxChars) {
        this.maxChars = maxChars;
    }

    /**
     * @param event a prepared event
     * @return the event itself, or a view of it with its overlong texts cut
     */
    ILoggingEvent apply(ILoggingEvent event) {
        boolean cut = hasTooLongText(event);
        if (cut) {
            this.truncatedEvents.increment();
        }
        return (cut || hasObjectValue(event)) ? RewrittenEvent.of(event, this) : event;
    }

    /** Events that had at least one text cut. */
    long truncatedCount() {
        return this.truncatedEvents.sum();
    }

    private static boolean hasObjectValue(ILoggingEvent event) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                if (!(pair.value instanceof String) && !isPlain(pair.value)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean hasTooLongText(ILoggingEvent event) {
        if (tooLong(event.getFormattedMessage())) {
            return true;
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null && !mdc.isEmpty()) {
            for (String value : mdc.values()) {
                if (tooLong(value)) {
                    return true;
                }
            }
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                if (pair.value instanceof String text && tooLong(text)) {
                    return true;
                }
            }
        }
        boolean[] found = {false};
        RewrittenEvent.forEachExceptionMessage(event, message -> found[0] |= tooLong(message));
        return found[0];
    }

    private boolean tooLong(String text) {
        return text != null && text.length() > this.maxChars;
    }

    private static boolean isPlain(Object value) {
        return value == null || value instanceof Number || value instanceof Boolean;
    }

    @Override
    public String text(String text) {
        return tooLong(text) ? text.substring(0, this.maxChars) + MARK : text;
    }

    @Override
    public String mdcValue(String key, String value) {
        return text(value);
    }

    @Override
    public Object keyValue(String key, Object value) {
        return isPlain(value) ? value : text(value.toString());
    }
}
