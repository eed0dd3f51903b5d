package io.sightline.telemetry.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import io.sightline.telemetry.logging.LoggingProperties.Format;
import io.sightline.telemetry.masking.MaskedLoggingEvent;
import io.sightline.telemetry.masking.Masker;
import io.sightline.telemetry.support.ServiceIdentity;

/**
 * Puts the starter's appenders into a logback context: one {@link BoundedAsyncAppender} on the root
 * logger, behind which everything is written after masking: the console (the starter's JSON, or in
 * text mode the application's own console encoder), the optional JSON file, and every other appender
 * that was on the root logger (a {@code logback-spring.xml} file appender, say), so no line leaves
 * unmasked. Console appenders on the root logger, whatever their name, are taken off it: standard
 * output gets one line per event, not one per console appender. Sentry's appender stays where it is
 * (Sentry reads the request's scope on the logging thread) and is masked by the starter's Sentry
 * callbacks.
 * <p>
 * Installing again replaces the previous installation, so a second application started in the same
 * JVM (tests, restarts) never duplicates appenders; {@link #uninstall()} gives the root logger back
 * what was taken from it.
 */
public final class LogbackInstaller {

    static final String ASYNC_APPENDER = "SIGHTLINE_ASYNC";

    static final String CONSOLE_APPENDER = "SIGHTLINE_CONSOLE";

    static final String FILE_APPENDER = "SIGHTLINE_FILE";

    /** Name of the console appender in Spring Boot's default logback configuration. */
    static final String BOOT_CONSOLE_APPENDER = "CONSOLE";

    /** Left on the root logger: masked through Sentry's own callbacks, see the errors package. */
    private static final String SENTRY_APPENDER_CLASS = "io.sentry.logback.SentryAppender";

    /** Where the appenders taken off the root logger are kept, to give them back on uninstall. */
    private static final String TAKEN_APPENDERS_KEY = LogbackInstaller.class.getName() + ".taken";

    /** Text pattern when there is no console appender to reuse. */
    private static final String FALLBACK_TEXT_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5level [%thread] " + "[%X{traceId:-},%X{spanId:-}] %logger{36} : %msg%n";

    /** How often the file's size is checked; between checks it may grow past the limit. */
    private static final Duration ROTATION_CHECK_INTERVAL = Duration.buildByMilliseconds(250);

    private final LoggerContext context;

    private final Logger root;

    /** What an installation did to the application's own logging set-up, for the one start-up warning. */
    public record Installation(BoundedAsyncAppender appender, List<String> changes) {}

    public LogbackInstaller(LoggerContext context) {
        this.context = context;
        this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /**
     * Installs (or re-installs) the starter's appenders.
     * @param properties the starter's logging settings
     * @param format {@link Format#JSON} or {@link Format#TEXT} for the console
     * @param identity service name and version written in every JSON record
     * @param masker the masking rules until the application context provides its {@code Masker}
     * @return the installed async appender and what changed for the application's own appenders
     */
    public Installation install(LoggingProperties properties, Format format, ServiceIdentity identity, Masker masker) {
        // By name, not type: after a class-loader restart (devtools) the previous one is another class.
        Appender<ILoggingEvent> previous = this.root.getAppender(ASYNC_APPENDER);
        List<Appender<ILoggingEvent>> taken = takeable();
        List<String> changes = new ArrayList<>();

        BoundedAsyncAppender async = new BoundedAsyncAppender(
                properties.async(), properties.maxFieldLength(), preparation(properties, masker));
        async.setName(ASYNC_APPENDER);
        async.setContext(this.context);
        async.addAppender(console(format, identity, taken, changes));
        for (Appender<ILoggingEvent> appender : taken) {
            if (!(appender instanceof ConsoleAppender<?>)) {
                async.addAppender(appender);
                changes.add("appender '" + appender.getName()
                        + "' now receives masked events from the starter's queue (written on its thread)");
            }
        }
        String fileProblem = addFile(properties, identity, async);
        async.start();
        // Attach before detaching the old appenders: during the switch an event may be written twice rather
        // than not at all.
        this.root.addAppender(async);
        for (Appender<ILoggingEvent> appender : taken) {
            this.root.detachAppender(appender);
            detachFrom(previous, appender); // kept started, so that uninstall() can give it back
        }
        this.context.putObject(TAKEN_APPENDERS_KEY, taken);
        if (previous != null) {
            this.root.detachAppender(previous);
            previous.stop();
        }
        if (fileProblem != null) {
            this.context
                    .getLogger(LogbackInstaller.class)
                    .warn(
                            "Cannot write the log file '{}': {}. Logging to the console only; "
                                    + "fix the directory or change 'sightline.logging.file.path'.",
                            properties.file().path(),
                            fileProblem);
        }
        return new Installation(async, List.copyOf(changes));
    }

    /**
     * What the writer does to each event before writing it.
     * @param properties the starter's logging settings (masking on or off)
     * @param masker the masking rules
     * @return masking, or nothing when masking is switched off
     */
    public static UnaryOperator<ILoggingEvent> preparation(LoggingProperties properties, Masker masker) {
        return properties.masking().enabled()
                ? event -> MaskedLoggingEvent.of(event, masker)
                : UnaryOperator.identity();
    }

    /** Removes the starter's appenders and gives the root logger back what was taken from it. */
    public void uninstall() {
        Appender<ILoggingEvent> previous = this.root.getAppender(ASYNC_APPENDER);
        if (previous == null) {
            return;
        }
        for (Appender<ILoggingEvent> appender : takenEarlier()) {
            detachFrom(previous, appender);
            if (!this.root.isAttached(appender)) {
                this.root.addAppender(appender);
            }
        }
        this.context.removeObject(TAKEN_APPENDERS_KEY);
        this.root.detachAppender(previous);
        previous.stop();
    }

    /**
     * The starter's async appender in a context, if installed.
     * @param context a logback context
     * @return the appender, or empty when the starter's logging is not installed
     */
    public static Optional<BoundedAsyncAppender> installed(LoggerContext context) {
        Appender<ILoggingEvent> appender =
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(ASYNC_APPENDER);
        return (appender instanceof BoundedAsyncAppender async) ? Optional.of(async) : Optional.empty();
    }

    /**
     * The root logger's appenders the starter puts behind its queue: all but its own and Sentry's, plus
     * those an earlier installation took (Boot does not configure logging again for a second application).
     */
    private List<Appender<ILoggingEvent>> takeable() {
        List<Appender<ILoggingEvent>> taken = new ArrayList<>(takenEarlier());
        for (Iterator<Appender<ILoggingEvent>> it = this.root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (!ASYNC_APPENDER.equals(appender.getName())
                    && !SENTRY_APPENDER_CLASS.equals(appender.getClass().getName())
                    && !taken.contains(appender)) {
                taken.add(appender);
            }
        }
        return taken;
    }

    @SuppressWarnings("unchecked")
    private List<Appender<ILoggingEvent>> takenEarlier() {
        Object taken = this.context.getObject(TAKEN_APPENDERS_KEY);
        return (taken instanceof List<?> list) ? (List<Appender<ILoggingEvent>>) list : List.of();
    }

    /** Detaches by interface, not type: after a class-loader restart the previous appender is another class. */
    @SuppressWarnings("unchecked")
    private static void detachFrom(Appender<ILoggingEvent> parent, Appender<ILoggingEvent> child) {
        if (parent instanceof AppenderAttachable<?> attachable) {
            ((AppenderAttachable<ILoggingEvent>) attachable).detachAppender(child);
        }
    }

    /**
     * The one console: JSON, or in text mode the first console appender's own encoder (Boot's pattern,
     * or a structured format the application chose), with MDC and key/value fields added to pattern lines.
     */
    private Appender<ILoggingEvent> console(
            Format format, ServiceIdentity identity, List<Appender<ILoggingEvent>> taken, List<String> changes) {
        String formatName = format.name().toLowerCase(Locale.ROOT);
        Encoder<ILoggingEvent> encoder = (format == Format.JSON) ? jsonEncoder(identity) : null;
        for (Appender<ILoggingEvent> appender : taken) {
            if (!(appender instanceof ConsoleAppender<ILoggingEvent> console)) {
                continue;
            }
            boolean reused = encoder == null && console.getEncoder() != null;
            if (reused) {
                encoder = console.getEncoder();
            }
            boolean bootsDefault = BOOT_CONSOLE_APPENDER.equals(console.getName()) && (reused || format == Format.JSON);
            if (!bootsDefault) {
                changes.add(
                        reused
                                ? "console appender '" + console.getName()
                                        + "' now writes masked lines through the starter's queue"
                                : "console appender '" + console.getName() + "' was replaced by the starter's "
                                        + formatName + " console (one line per event on standard output)");
            }
        }
        if (encoder == null) {
            encoder = textEncoder();
        }
        if (format == Format.TEXT && encoder instanceof LayoutWrappingEncoder<?>) {
            encoder = new FieldsSuffixEncoder(encoder);
            encoder.setContext(this.context);
            encoder.start();
        }
        OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
        console.setName(CONSOLE_APPENDER);
        console.setContext(this.context);
        console.setEncoder(encoder);
        console.setImmediateFlush(false); // flushed once per batch by the async appender
        console.setOutputStream(new BatchingConsoleStream());
        console.start();
        return console;
    }

    /** Adds the JSON file when configured; the problem that prevents it, or {@code null}. */
    private String addFile(LoggingProperties properties, ServiceIdentity identity, BoundedAsyncAppender async) {
        if (!properties.file().enabled()) {
            return null;
        }
        String problem = problemWith(Path.of(properties.file().path()));
        if (problem != null) {
            return problem;
        }
        RollingFileAppender<ILoggingEvent> file = file(properties.file(), identity);
        if (!file.isStarted()) {
            return "it could not be opened";
        }
        async.addAppender(file);
        return null;
    }

    private RollingFileAppender<ILoggingEvent> file(LoggingProperties.File settings, ServiceIdentity identity) {
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setName(FILE_APPENDER);
        file.setContext(this.context);
        file.setFile(settings.path());
        file.setEncoder(jsonEncoder(identity));
        file.setImmediateFlush(false); // flushed once per batch by the async appender

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(this.context);
        rolling.setParent(file);
        rolling.setFileNamePattern(settings.path() + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(settings.maxHistory());
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(this.context);
        trigger.setMaxFileSize(new FileSize(settings.maxSize().toBytes()));
        trigger.setCheckIncrement(ROTATION_CHECK_INTERVAL);
        trigger.start();

        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(trigger);
        file.start();
        return file;
    }

    /** Started by the log writer with the first record it writes (see {@link JsonLogEncoder#startedOnFirstRecord}). */
    private Encoder<ILoggingEvent> jsonEncoder(ServiceIdentity identity) {
        return JsonLogEncoder.startedOnFirstRecord(identity, this.context);
    }

    private Encoder<ILoggingEvent> textEncoder() {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(this.context);
        encoder.setPattern(FALLBACK_TEXT_PATTERN);
        encoder.start();
        return encoder;
    }

    /** Why the log file cannot be written, or {@code null} when its directory exists (or was created) and is writable. */
    static String problemWith(Path file) {
        Path directory = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException | SecurityException ex) {
            return "its directory '" + directory + "' does not exist and cannot be created (" + ex + ")";
        }
        if (!Files.isWritable(directory)) {
            return "its directory '" + directory + "' is not writable";
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            return "the file exists and is not writable";
        }
        return null;
    }
}
