package io.sightline.telemetry.logexport;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.LoggerContext;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.sightline.telemetry.logging.BoundedAsyncAppender;
import io.sightline.telemetry.logging.JsonLogEncoder;
import io.sightline.telemetry.logging.LogbackInstaller;
import io.sightline.telemetry.support.ServiceIdentity;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Connects the starter's log writer to the OpenTelemetry SDK once the application context has built it, and
 * disconnects it on shutdown after the records logged before were exported, within the shutdown timeout.
 * Events logged before the context is ready (the start-up's first lines) go to the console and file only.
 */
final class DirectLogExport implements SmartInitializingSingleton, DisposableBean {

    /** Instrumentation scope of the records (Loki keeps it as structured metadata {@code scope_name}). */
    static final String SCOPE = "io.sightline.telemetry";

    private final SdkLoggerProvider loggerProvider;

    private final ExportLedger ledger;

    private final ServiceIdentity identity;

    private final Duration shutdownTimeout;

    private BoundedAsyncAppender writer;

    private OtlpLogAppender appender;

    DirectLogExport(
            SdkLoggerProvider loggerProvider, ExportLedger ledger, ServiceIdentity identity, Duration shutdownTimeout) {
        this.loggerProvider = loggerProvider;
        this.ledger = ledger;
        this.identity = identity;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Optional<BoundedAsyncAppender> installed = LogbackInstaller.installed(context);
        if (installed.isEmpty()) {
            return;
        }
        OtlpLogAppender otlp = new OtlpLogAppender(
                this.loggerProvider.get(SCOPE), JsonLogEncoder.started(this.identity, context), this.ledger);
        otlp.setContext(context);
        otlp.start();
        this.writer = installed.get();
        this.appender = otlp;
        this.writer.addAppender(otlp);
    }

    /**
     * Lets the writer hand over what was logged so far, then exports it; the SDK is shut down at the
     * deadline even if the endpoint has not answered, so a slow or unreachable endpoint cannot hold the
     * application's shutdown longer than the timeout.
     */
    @Override
    public void destroy() {
        long deadline = System.nanoTime() + this.shutdownTimeout.toNanos();
        if (this.writer != null) {
            this.writer.awaitWritten(this.shutdownTimeout);
            this.writer.detachAppender(this.appender);
            this.appender.stop();
        }
        long remaining = Math.max(0, deadline - System.nanoTime());
        this.loggerProvider.shutdown().join(remaining, TimeUnit.NANOSECONDS);
    }
}
