package io.sightline.telemetry.logging;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.sightline.telemetry.support.ServiceIdentity;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Builds logback events and reads the JSON records the starter writes for them. */
final class LogEvents {

    static final ServiceIdentity IDENTITY = new ServiceIdentity("links", "1.4.2");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final LoggerContext CONTEXT = newContext();

    private LogEvents() {}

    /** A private logback context, with the MDC adapter the global one gets from SLF4J's initialisation. */
    static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }

    static LoggingEvent event(Level level, String message, Throwable throwable, Object... arguments) {
        return new LoggingEvent(
                LogEvents.class.getName(),
                CONTEXT.getLogger("io.sightline.demo.LinkService"),
                level,
                message,
                throwable,
                arguments);
    }

    static JsonLogEncoder startedEncoder(ServiceIdentity identity) {
        JsonLogEncoder encoder = new JsonLogEncoder(identity);
        encoder.setContext(CONTEXT);
        encoder.start();
        return encoder;
    }

    /** The record as the JSON encoder writes it, fields in order. */
    static Map<String, Object> encode(ILoggingEvent event) {
        byte[] line = startedEncoder(IDENTITY).encode(event);
        return parse(new String(line, StandardCharsets.UTF_8));
    }

    /** Settings as Spring Boot binds them from {@code sightline.logging.*} properties ("key=value"). */
    static LoggingProperties properties(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String keyValue : keyValues) {
            int equals = keyValue.indexOf('=');
            map.put("sightline.logging." + keyValue.substring(0, equals), keyValue.substring(equals + 1));
        }
        return new Binder(new MapConfigurationPropertySource(map))
                .bindOrCreate("sightline.logging", LoggingProperties.class);
    }

    static Map<String, Object> parse(String line) {
        return JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {});
    }
}
