package io.sightline.telemetry.logging;

import java.util.IdentityHashMap;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import net.logstash.logback.composite.AbstractFieldJsonProvider;
import net.logstash.logback.composite.JsonWritingUtils;
import tools.jackson.core.JsonGenerator;

/**
 * Writes {@code stack_hash}: eight hex digits identifying where an exception came from, so the same
 * bug groups together across pods and releases.
 * <p>
 * Only exception class names and frames' class and method names count: line numbers move between
 * releases, messages carry ids, and generated proxy classes ({@code $$}) are renamed on every start.
 * Logstash's own provider needs the original {@code Throwable}; this one works on logback's proxy, so
 * it also hashes events whose exception was masked.
 */
public class StackHashJsonProvider extends AbstractFieldJsonProvider<ILoggingEvent> {

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) {
        IThrowableProxy throwable = event.getThrowableProxy();
        if (throwable != null) {
            JsonWritingUtils.writeStringField(generator, getFieldName(), hash(throwable));
        }
    }

    /**
     * The stable hash of an exception and its causes.
     * @param throwable logback's view of the exception
     * @return eight lower-case hex digits
     */
    public static String hash(IThrowableProxy throwable) {
        int hash = 17;
        Map<IThrowableProxy, Boolean> seen = new IdentityHashMap<>();
        for (IThrowableProxy current = throwable;
                current != null && seen.put(current, true) == null;
                current = current.getCause()) {
            hash = 31 * hash + current.getClassName().hashCode();
            StackTraceElementProxy[] frames = current.getStackTraceElementProxyArray();
            for (StackTraceElementProxy frame : (frames != null) ? frames : new StackTraceElementProxy[0]) {
                StackTraceElement element = frame.getStackTraceElement();
                if (!element.getClassName().contains("$$")) {
                    hash = 31 * hash + element.getClassName().hashCode();
                    hash = 31 * hash + element.getMethodName().hashCode();
                }
            }
        }
        return String.format("%08x", hash);
    }
}
