package io.sightline.telemetry.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import io.sightline.telemetry.support.ServiceIdentity;
import net.logstash.logback.composite.GlobalCustomFieldsJsonProvider;
import net.logstash.logback.composite.JsonProviders;
import net.logstash.logback.composite.loggingevent.KeyValuePairsJsonProvider;
import net.logstash.logback.composite.loggingevent.LogLevelJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventThreadNameJsonProvider;
import net.logstash.logback.composite.loggingevent.MdcJsonProvider;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import net.logstash.logback.composite.loggingevent.StackTraceJsonProvider;
import net.logstash.logback.composite.loggingevent.ThrowableClassNameJsonProvider;
import net.logstash.logback.composite.loggingevent.ThrowableMessageJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import net.logstash.logback.stacktrace.ShortenedThrowableConverter;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the log record of the telemetry contract, section 2: one JSON object per line with
 * {@link #FIELDS}, plus MDC entries and SLF4J key/value pairs as top-level fields. Micrometer
 * Tracing's MDC keys {@code traceId}/{@code spanId} become {@code trace_id}/{@code span_id}.
 * <p>
 * Masking happens before events reach this encoder (see {@link BoundedAsyncAppender}).
 */
public class JsonLogEncoder extends LoggingEventCompositeJsonEncoder {

    /** Every field the record can have apart from MDC entries and key/value pairs, in output order. */
    public static final List<String> FIELDS = List.of(
            "@timestamp",
            "level",
            "logger",
            "thread",
            "message",
            "service_name",
            "service_version",
            "trace_id",
            "span_id",
            "error_type",
            "error_message",
            "stack_trace",
            "stack_hash");

    private static final List<String> MDC_TRACE_FIELDS = List.of("trace_id", "span_id");

    /** Stack frames per exception in {@code stack_trace}; deeper frames are summarised by the converter. */
    private static final int MAX_FRAMES_PER_THROWABLE = 30;

    /** Upper bound for {@code stack_trace}, so one exception cannot produce a line the sidecar truncates. */
    private static final int MAX_STACK_TRACE_CHARS = 8192;

    /** Reflection and generated-proxy frames say nothing about the bug. */
    private static final List<String> NOISE_FRAMES =
            List.of("^java\\.lang\\.reflect\\.", "^jdk\\.internal\\.reflect\\.", "^sun\\.reflect\\.", "\\$\\$");

    /** Set once {@link #start()} has finished: no thread encodes with a half-started formatter. */
    private volatile boolean ready;

    /**
     * An encoder ready to use.
     * @param identity service name and version written in every record
     * @param context the logback context it reports its problems to
     * @return the started encoder
     */
    public static JsonLogEncoder started(ServiceIdentity identity, Context context) {
        JsonLogEncoder encoder = startedOnFirstRecord(identity, context);
        encoder.start();
        return encoder;
    }

    /**
     * An encoder that starts itself when it encodes its first record. Starting builds the formatter's
     * Jackson mapper, the starter's largest piece of work before the application's first log line (JFR of
     * the demo's start-up); behind the log writer's queue that first record is encoded on the writer's
     * thread, so the application's start does not wait for it.
     * @param identity service name and version written in every record
     * @param context the logback context it reports its problems to
     * @return the encoder, not yet started
     */
    public static JsonLogEncoder startedOnFirstRecord(ServiceIdentity identity, Context context) {
        JsonLogEncoder encoder = new JsonLogEncoder(identity);
        encoder.setContext(context);
        return encoder;
    }

    public JsonLogEncoder(ServiceIdentity identity) {
        setLineSeparator("\n");
        JsonProviders<ILoggingEvent> providers = getProviders();

        UtcTimestampJsonProvider timestamp = new UtcTimestampJsonProvider();
        timestamp.setFieldName("@timestamp");
        providers.addProvider(timestamp);

        LogLevelJsonProvider level = new LogLevelJsonProvider();
        level.setFieldName("level");
        providers.addProvider(level);

        LoggerNameJsonProvider logger = new LoggerNameJsonProvider();
        logger.setFieldName("logger");
        providers.addProvider(logger);

        LoggingEventThreadNameJsonProvider thread = new LoggingEventThreadNameJsonProvider();
        thread.setFieldName("thread");
        providers.addProvider(thread);

        MessageJsonProvider message = new MessageJsonProvider();
        message.setFieldName("message");
        providers.addProvider(message);

        GlobalCustomFieldsJsonProvider<ILoggingEvent> service = new GlobalCustomFieldsJsonProvider<>();
        ObjectNode serviceFields = JsonNodeFactory.instance.objectNode().put("service_name", identity.name());
        if (identity.version() != null) {
            serviceFields.put("service_version", identity.version());
        }
        service.setCustomFieldsNode(serviceFields);
        providers.addProvider(service);

        MdcJsonProvider mdc = new MdcJsonProvider();
        mdc.addMdcKeyFieldName("traceId=trace_id");
        mdc.addMdcKeyFieldName("spanId=span_id");
        KeyValuePairsJsonProvider keyValues = new KeyValuePairsJsonProvider();
        // An MDC entry or key/value pair named like a record field would write that field twice. The
        // OpenTelemetry Java agent's MDC keys are already trace_id/span_id: those stay.
        for (String field : FIELDS) {
            if (!MDC_TRACE_FIELDS.contains(field)) {
                mdc.addExcludeMdcKeyName(field);
            }
            keyValues.addExcludeKeyName(field);
        }
        providers.addProvider(mdc);
        providers.addProvider(keyValues);

        ThrowableClassNameJsonProvider errorType = new ThrowableClassNameJsonProvider();
        errorType.setFieldName("error_type");
        errorType.setUseSimpleClassName(false);
        providers.addProvider(errorType);

        ThrowableMessageJsonProvider errorMessage = new ThrowableMessageJsonProvider();
        errorMessage.setFieldName("error_message");
        providers.addProvider(errorMessage);

        ShortenedThrowableConverter converter = new ShortenedThrowableConverter();
        converter.setRootCauseFirst(true);
        converter.setMaxDepthPerThrowable(MAX_FRAMES_PER_THROWABLE);
        converter.setMaxLength(MAX_STACK_TRACE_CHARS);
        converter.setExcludes(NOISE_FRAMES);
        StackTraceJsonProvider stackTrace = new StackTraceJsonProvider();
        stackTrace.setFieldName("stack_trace");
        stackTrace.setThrowableConverter(converter);
        providers.addProvider(stackTrace);

        StackHashJsonProvider stackHash = new StackHashJsonProvider();
        stackHash.setFieldName("stack_hash");
        providers.addProvider(stackHash);
    }

    @Override
    public void start() {
        if (this.ready) {
            return;
        }
        synchronized (this) {
            if (!this.ready) {
                super.start();
                this.ready = true;
            }
        }
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        start();
        return super.encode(event);
    }

    @Override
    public void encode(ILoggingEvent event, OutputStream outputStream) throws IOException {
        start();
        super.encode(event, outputStream);
    }
}
