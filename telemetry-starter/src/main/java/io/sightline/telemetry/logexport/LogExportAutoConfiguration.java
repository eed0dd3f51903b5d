package io.sightline.telemetry.logexport;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.ResourceBuilder;
import io.sightline.telemetry.logging.DropReason;
import io.sightline.telemetry.logging.LoggingAutoConfiguration;
import io.sightline.telemetry.support.ServiceIdentity;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.opentelemetry.autoconfigure.logging.SdkLoggerProviderBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StringUtils;

/**
 * Direct log export over OTLP/HTTP, on when {@code sightline.logging.otlp.endpoint} is set (see
 * {@link LogExportEnvironmentPostProcessor} for the exporter Boot builds from it). Records leave from the
 * starter's log writer ({@link DirectLogExport}) through the {@link SdkLoggerProvider} Boot builds; this
 * replaces Boot's batch processor with one whose queue is bounded and accounted for ({@link ExportLedger}),
 * adds the contract's identity to the records' resource, and counts what is dropped in
 * {@code sightline_log_events_dropped_total} with reasons {@code export_queue_full} and {@code export_failed}.
 * An application that defines its own {@link BatchLogRecordProcessor} keeps it, and no records are exported.
 */
@AutoConfiguration(
        after = LoggingAutoConfiguration.class,
        beforeName =
                "org.springframework.boot.opentelemetry.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration")
@ConditionalOnClass({SdkLoggerProvider.class, SdkLoggerProviderBuilderCustomizer.class})
@ConditionalOnBooleanProperty(
        name = {"sightline.logging.enabled", "sightline.logging.otlp.enabled"},
        matchIfMissing = true)
@ConditionalOnProperty("sightline.logging.otlp.endpoint")
@ConditionalOnMissingBean(BatchLogRecordProcessor.class)
@EnableConfigurationProperties(LogExportProperties.class)
public class LogExportAutoConfiguration {

    /**
     * The contract's identity as resource attributes, from the pod's Downward API variables: named as Loki
     * names them, because Loki's OTLP ingestion keeps an attribute's name (dots become underscores).
     */
    public static final Map<String, String> IDENTITY_ATTRIBUTES = identityAttributes();

    @Bean
    ExportLedger sightlineLogExportLedger(LogExportProperties properties) {
        return new ExportLedger(properties.queueSize());
    }

    /** Boot's batch processor with the queue the ledger bounds, exporting to every exporter Boot configured. */
    @Bean
    BatchLogRecordProcessor openTelemetryBatchLogRecordProcessor(
            ObjectProvider<LogRecordExporter> exporters, ExportLedger ledger) {
        LogRecordExporter exporter = new LedgerExporter(
                LogRecordExporter.composite(exporters.orderedStream().toList()), ledger);
        return BatchLogRecordProcessor.builder(exporter)
                .setMaxQueueSize(ledger.capacity())
                .setMaxExportBatchSize(Math.min(ledger.capacity(), 512))
                .build();
    }

    @Bean
    SdkLoggerProviderBuilderCustomizer sightlineLogExportResource(
            Environment environment, ResourceLoader resourceLoader) {
        Resource identity = identityResource(environment, ServiceIdentity.from(environment, resourceLoader));
        return builder -> builder.addResource(identity);
    }

    @Bean
    DirectLogExport sightlineDirectLogExport(
            SdkLoggerProvider loggerProvider,
            ExportLedger ledger,
            LogExportProperties properties,
            Environment environment,
            ResourceLoader resourceLoader) {
        return new DirectLogExport(
                loggerProvider,
                ledger,
                ServiceIdentity.from(environment, resourceLoader),
                properties.shutdownTimeout());
    }

    @Bean
    MeterBinder sightlineLogExportDropsMetrics(ExportLedger ledger) {
        return registry -> {
            for (DropReason reason : DropReason.EXPORT) {
                FunctionCounter.builder(LoggingAutoConfiguration.DROPPED_METRIC, ledger, l -> l.dropped(reason))
                        .description(LoggingAutoConfiguration.DROPPED_DESCRIPTION)
                        .tag(LoggingAutoConfiguration.REASON_TAG, reason.label())
                        .register(registry);
            }
        };
    }

    /** {@code service.name}, {@code service.version} and the identity attributes that have a value. */
    static Resource identityResource(Environment environment, ServiceIdentity identity) {
        ResourceBuilder builder = Resource.builder().put("service.name", identity.name());
        if (identity.version() != null) {
            builder.put("service.version", identity.version());
        }
        IDENTITY_ATTRIBUTES.forEach((variable, attribute) -> {
            String value = environment.getProperty(variable);
            if (StringUtils.hasText(value)) {
                builder.put(attribute, value.trim());
            }
        });
        return builder.build();
    }

    private static Map<String, String> identityAttributes() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("POD_NAMESPACE", "namespace");
        attributes.put("POD_NAME", "pod");
        attributes.put("NODE_NAME", "node");
        attributes.put("CONTAINER_NAME", "container");
        attributes.put("CLUSTER_NAME", "cluster");
        return Collections.unmodifiableMap(attributes);
    }
}
