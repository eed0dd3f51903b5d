package io.sightline.telemetry.masking;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.sightline.telemetry.logging.event.RewrittenEvent;

/**
 * A logback event as it may be written: its message, MDC values, key/value pairs and exception
 * messages masked. Numbers and booleans stay typed unless their key is sensitive; any other value is
 * written as its masked text, never as the object itself (a JSON writer would serialise it through
 * its getters, secrets its {@code toString()} leaves out included).
 */
public final class MaskedLoggingEvent implements RewrittenEvent.Rewrite {

    private final Masker masker;

    private MaskedLoggingEvent(Masker masker) {
        this.masker = masker;
    }

    /**
     * The event as it may be written.
     * @param event a prepared logback event
     * @param masker the masking rules
     * @return a masked view of the event
     */
    public static ILoggingEvent of(ILoggingEvent event, Masker masker) {
        return RewrittenEvent.of(event, new MaskedLoggingEvent(masker));
    }

    @Override
    public String text(String text) {
        return this.masker.mask(text);
    }

    @Override
    public String mdcValue(String key, String value) {
        return this.masker.maskValue(key, value);
    }

    @Override
    public Object keyValue(String key, Object value) {
        if (this.masker.isSensitiveKey(key)) {
            return Masker.MASK;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return this.masker.mask(value.toString());
    }
}
