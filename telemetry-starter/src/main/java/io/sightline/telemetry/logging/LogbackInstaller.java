package io.sightline.telemetry.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
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
 * Puts the starter's appenders into a logback context: Spring Boot's {@code CONSOLE} appender is
 * replaced by one {@link BoundedAsyncAppender} on the root logger that writes, after masking, to the
 * console (JSON, or Boot's text appender) and optionally to a JSON file rotated by renaming.
 * <p>
 * Installing again replaces the previous installation, so a second application started in the same
 * JVM (tests, restarts) never duplicates appenders.
 */
public final class LogbackInstaller {

    static final String ASYNC_APPENDER = "SIGHTLINE_ASYNC";

    static final String CONSOLE_APPENDER = "SIGHTLINE_CONSOLE";

    static final String FILE_APPENDER = "SIGHTLINE_FILE";

    /** Name of the console appender in Spring Boot's default logback configuration. */
    static final String BOOT_CONSOLE_APPENDER = "CONSOLE";

    /** Where the replaced Boot console appender is kept, to restore it when the starter is switched off. */
    private static final String REPLACED_CONSOLE_KEY = LogbackInstaller.class.getName() + ".replacedConsole";

    /** Text pattern when there is no Boot console appender to reuse. */
    private static final String FALLBACK_TEXT_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5level [%thread] " + "[%X{traceId:-},%X{spanId:-}] %logger{36} : %msg%n";

    /** How often the file's size is checked; between checks it may grow past the limit. */
    private static final Duration ROTATION_CHECK_INTERVAL = Duration.buildByMilliseconds(250);

    private final LoggerContext context;

    private final Logger root;

    public LogbackInstaller(LoggerContext context) {
        this.context = context;
        this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /**
     * Installs (or re-installs) the starter's appenders.
     * @param properties the starter's logging settings
     * @param format {@link Format#JSON} or {@link Format#TEXT} for the console
     * @param identity service name and version written in every JSON record
     * @return the installed async appender
     */
    public BoundedAsyncAppender install(LoggingProperties properties, Format format, ServiceIdentity identity) {
        // By name, not type: after a class-loader restart (devtools) the previous one is another class.
        Appender<ILoggingEvent> previous = this.root.getAppender(ASYNC_APPENDER);
        Appender<ILoggingEvent> bootConsole = findBootConsole();

        Masker masker = Masker.withExtraKeys(properties.masking().extraKeys());
        UnaryOperator<ILoggingEvent> preparation = properties.masking().enabled()
                ? event -> MaskedLoggingEvent.of(event, masker)
                : UnaryOperator.identity();
        BoundedAsyncAppender async = new BoundedAsyncAppender(properties.async().queueSize(), preparation);
        async.setName(ASYNC_APPENDER);
        async.setContext(this.context);
        async.addAppender((format == Format.TEXT && bootConsole != null) ? bootConsole : console(format, identity));
        String fileProblem = null;
        if (properties.file().enabled()) {
            fileProblem = problemWith(Path.of(properties.file().path()));
            if (fileProblem == null) {
                RollingFileAppender<ILoggingEvent> file = file(properties.file(), identity);
                if (file.isStarted()) {
                    async.addAppender(file);
                } else {
                    fileProblem = "it could not be opened";
                }
            }
        }
        async.start();
        // Attach before detaching the old appenders: during the switch an event may be written twice rather
        // than not at all. (Events still queued in a previous text-mode installation reach its file, not Boot's
        // console.)
        this.root.addAppender(async);
        if (bootConsole != null) {
            this.root.detachAppender(bootConsole);
            detachFrom(previous, bootConsole);
            // Kept (started) so that uninstall() can give it back.
            this.context.putObject(REPLACED_CONSOLE_KEY, bootConsole);
        }
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
        return async;
    }

    /** Removes the starter's appenders and gives Boot's console appender back to the root logger. */
    public void uninstall() {
        Appender<ILoggingEvent> previous = this.root.getAppender(ASYNC_APPENDER);
        if (previous == null) {
            return;
        }
        Appender<ILoggingEvent> bootConsole = findBootConsole();
        if (bootConsole != null) {
            detachFrom(previous, bootConsole);
            if (!this.root.isAttached(bootConsole)) {
                this.root.addAppender(bootConsole);
            }
            this.context.removeObject(REPLACED_CONSOLE_KEY);
        }
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
     * Boot's console appender: on the root logger right after Boot configured logging, else the one an
     * earlier installation replaced (Boot does not configure logging again for a second application).
     */
    @SuppressWarnings("unchecked")
    private Appender<ILoggingEvent> findBootConsole() {
        Appender<ILoggingEvent> console = this.root.getAppender(BOOT_CONSOLE_APPENDER);
        return (console != null) ? console : (Appender<ILoggingEvent>) this.context.getObject(REPLACED_CONSOLE_KEY);
    }

    /** Detaches by interface, not type: after a class-loader restart the previous appender is another class. */
    @SuppressWarnings("unchecked")
    private static void detachFrom(Appender<ILoggingEvent> parent, Appender<ILoggingEvent> child) {
        if (parent instanceof AppenderAttachable<?> attachable) {
            ((AppenderAttachable<ILoggingEvent>) attachable).detachAppender(child);
        }
    }

    private Appender<ILoggingEvent> console(Format format, ServiceIdentity identity) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setName(CONSOLE_APPENDER);
        console.setContext(this.context);
        console.setEncoder((format == Format.JSON) ? jsonEncoder(identity) : textEncoder());
        console.start();
        return console;
    }

    private RollingFileAppender<ILoggingEvent> file(LoggingProperties.File settings, ServiceIdentity identity) {
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setName(FILE_APPENDER);
        file.setContext(this.context);
        file.setFile(settings.path());
        file.setEncoder(jsonEncoder(identity));

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

    private Encoder<ILoggingEvent> jsonEncoder(ServiceIdentity identity) {
        JsonLogEncoder encoder = new JsonLogEncoder(identity);
        encoder.setContext(this.context);
        encoder.start();
        return encoder;
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
