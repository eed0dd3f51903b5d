package io.sightline.telemetry.logging;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sightline.telemetry.masking.Masker;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Beans of the logging concern. Logback itself is configured earlier, by
 * {@link SightlineLoggingListener}; this adds the drop counter and a {@link Masker} that other parts
 * (error reporting) use to mask what they send the same way as logs.
 */
@AutoConfiguration
@EnableConfigurationProperties(LoggingProperties.class)
public class LoggingAutoConfiguration {

    /** Micrometer name of the drop counter; Prometheus shows it as {@code sightline_log_events_dropped_total}. */
    public static final String DROPPED_METRIC = "sightline.log.events.dropped";

    @Bean
    @ConditionalOnMissingBean
    Masker sightlineMasker(LoggingProperties properties) {
        return Masker.withExtraKeys(properties.masking().extraKeys());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "sightline.logging.enabled", matchIfMissing = true)
    MeterBinder sightlineLogDropsMetrics() {
        return registry -> {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
                FunctionCounter.builder(DROPPED_METRIC, context, LoggingAutoConfiguration::droppedCount)
                        .description("Log events dropped because the async appender's queue was full")
                        .register(registry);
            }
        };
    }

    private static double droppedCount(LoggerContext context) {
        return LogbackInstaller.installed(context)
                .map(BoundedAsyncAppender::droppedCount)
                .orElse(0L);
    }
}
