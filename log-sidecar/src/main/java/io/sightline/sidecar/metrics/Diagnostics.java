package io.sightline.sidecar.metrics;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The sidecar's own diagnostics: one JSON object per line on stderr (stdout may carry records from
 * the {@code stdout} sink), with the same {@code @timestamp}/{@code level}/{@code message} names as
 * the application records so the same tooling reads both.
 */
public final class Diagnostics {

    public enum Level {
        DEBUG,
        INFO,
        WARN,
        ERROR
    }

    private static final List<String> LEVELS = List.of("debug", "info", "warn", "error");

    private final PrintStream out;
    private final Level threshold;

    public Diagnostics(PrintStream out, Level threshold) {
        this.out = out;
        this.threshold = threshold;
    }

    public static Diagnostics stderr(String level) {
        return new Diagnostics(System.err, Level.values()[LEVELS.indexOf(level.toLowerCase(Locale.ROOT))]);
    }

    public boolean debugEnabled() {
        return threshold == Level.DEBUG;
    }

    public void debug(String message, Object... keyValues) {
        log(Level.DEBUG, message, keyValues);
    }

    public void info(String message, Object... keyValues) {
        log(Level.INFO, message, keyValues);
    }

    public void warn(String message, Object... keyValues) {
        log(Level.WARN, message, keyValues);
    }

    public void error(String message, Object... keyValues) {
        log(Level.ERROR, message, keyValues);
    }

    /** {@code keyValues} alternate names and values; a {@link Throwable} value is written as its string form. */
    public void log(Level level, String message, Object... keyValues) {
        if (level.compareTo(threshold) < 0) {
            return;
        }
        StringWriter buffer = new StringWriter(160);
        try (JsonGenerator json = Jackson.FACTORY.createGenerator(buffer)) {
            json.writeStartObject();
            json.writeStringField("@timestamp", Instant.now().toString());
            json.writeStringField("level", level.name());
            json.writeStringField("logger", "sightline-log-sidecar");
            json.writeStringField("message", message);
            for (int i = 0; i + 1 < keyValues.length; i += 2) {
                Object value = keyValues[i + 1];
                String name = String.valueOf(keyValues[i]);
                if (value instanceof Number number && !(value instanceof Double || value instanceof Float)) {
                    json.writeNumberField(name, number.longValue());
                } else if (value instanceof Boolean bool) {
                    json.writeBooleanField(name, bool);
                } else {
                    json.writeStringField(name, String.valueOf(value));
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
        }
        synchronized (out) {
            out.println(buffer);
            out.flush();
        }
    }

    /**
     * Jackson's ~60 classes load with the first line written, not with the first {@code Diagnostics}: start-up
     * builds one before anything else can start and usually writes its first line well after reading began.
     */
    private static final class Jackson {
        static final JsonFactory FACTORY = new JsonFactory();
    }
}
