package io.sightline.telemetry.logging;

import java.util.Optional;
import java.util.function.ToLongFunction;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sightline.telemetry.masking.Masker;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Beans of the logging concern. Logback itself is configured earlier, by
 * {@link SightlineLoggingListener}; this adds the drop and truncation counters and the {@link Masker}
 * that the log writer and error reporting share.
 */
@AutoConfiguration
@EnableConfigurationProperties(LoggingProperties.class)
public class LoggingAutoConfiguration {

    /** Micrometer name of the drop counter; Prometheus shows it as {@code sightline_log_events_dropped_total}. */
    public static final String DROPPED_METRIC = "sightline.log.events.dropped";

    /** Micrometer name of the truncation counter; Prometheus shows it as {@code sightline_log_events_truncated_total}. */
    public static final String TRUNCATED_METRIC = "sightline.log.events.truncated";

    /** The masking rules for logs and Sentry alike; an application's own {@code Masker} bean replaces it on both. */
    @Bean
    @ConditionalOnMissingBean
    Masker sightlineMasker(LoggingProperties properties) {
        return properties.masking().masker();
    }

    /**
     * Logging starts before any bean exists, with the masker built from the same properties; once the
     * context is complete the log writer uses the context's {@code Masker}, the application's if it has one.
     */
    @Bean
    @ConditionalOnBooleanProperty(name = "sightline.logging.enabled", matchIfMissing = true)
    SmartInitializingSingleton sightlineLogWriterMasker(Masker masker, LoggingProperties properties) {
        return () -> logbackContext()
                .flatMap(LogbackInstaller::installed)
                .ifPresent(appender -> appender.setWritePreparation(LogbackInstaller.preparation(properties, masker)));
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "sightline.logging.enabled", matchIfMissing = true)
    MeterBinder sightlineLogDropsMetrics() {
        return registry -> logbackContext().ifPresent(context -> {
            FunctionCounter.builder(DROPPED_METRIC, context, c -> count(c, BoundedAsyncAppender::droppedCount))
                    .description("Log events dropped because the async appender's queue was full")
                    .register(registry);
            FunctionCounter.builder(TRUNCATED_METRIC, context, c -> count(c, BoundedAsyncAppender::truncatedCount))
                    .description("Log events whose message, exception message or a field value was cut to "
                            + "sightline.logging.max-field-length")
                    .register(registry);
        });
    }

    private static Optional<LoggerContext> logbackContext() {
        return (LoggerFactory.getILoggerFactory() instanceof LoggerContext context)
                ? Optional.of(context)
                : Optional.empty();
    }

    private static double count(LoggerContext context, ToLongFunction<BoundedAsyncAppender> counter) {
        return LogbackInstaller.installed(context).map(counter::applyAsLong).orElse(0L);
    }
}
