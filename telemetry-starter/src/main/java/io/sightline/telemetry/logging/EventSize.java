package io.sightline.telemetry.logging;

import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import io.sightline.telemetry.logging.event.RewrittenEvent;
import org.slf4j.event.KeyValuePair;

/**
 * A rough count of the heap bytes a queued event holds: its texts at two bytes a character, and a
 * fixed share per object and stack frame. Only what bounds the queue's memory needs it; it reads
 * lengths, never copies.
 */
final class EventSize {

    private static final int EVENT_OVERHEAD = 256;

    private static final int PER_ENTRY = 48;

    private static final int PER_FRAME = 64;

    /** Cause chains can loop; the frames of the first ones are what counts. */
    private static final int MAX_CAUSES = 64;

    private EventSize() {}

    static int estimate(ILoggingEvent event) {
        long chars = length(event.getFormattedMessage());
        long overhead = EVENT_OVERHEAD;
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            for (Map.Entry<String, String> entry : mdc.entrySet()) {
                chars += length(entry.getKey()) + length(entry.getValue());
                overhead += PER_ENTRY;
            }
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                chars += length(pair.key) + ((pair.value instanceof String text) ? text.length() : 0);
                overhead += PER_ENTRY;
            }
        }
        long[] exceptionChars = {0};
        RewrittenEvent.forEachExceptionMessage(event, message -> exceptionChars[0] += message.length());
        IThrowableProxy throwable = event.getThrowableProxy();
        for (int depth = 0; throwable != null && depth < MAX_CAUSES; depth++, throwable = throwable.getCause()) {
            StackTraceElementProxy[] frames = throwable.getStackTraceElementProxyArray();
            overhead += PER_ENTRY + ((frames != null) ? (long) frames.length * PER_FRAME : 0);
        }
        return (int) Math.min(Integer.MAX_VALUE, 2 * (chars + exceptionChars[0]) + overhead);
    }

    private static int length(String text) {
        return (text != null) ? text.length() : 0;
    }
}
