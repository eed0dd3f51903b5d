package io.sightline.telemetry.logging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.sightline.telemetry.logging.LoggingProperties.Format;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.spi.MDCAdapter;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The appenders the starter puts into a logback context (a private one per test, so tests do not
 * share state): console format, JSON file output with rotation, a bad log directory, re-installation.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogbackInstallerTest {

    private final LoggerContext context = LogEvents.newContext();

    private final Logger root = this.context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    private final Logger logger = this.context.getLogger("io.sightline.demo.LinkService");

    @BeforeEach
    void bootLikeConsole() {
        // What Spring Boot's default configuration leaves on the root logger.
        this.root.addAppender(patternConsole(LogbackInstaller.BOOT_CONSOLE_APPENDER, "BOOT %level %msg%n"));
    }

    private ConsoleAppender<ILoggingEvent> patternConsole(String name, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(this.context);
        encoder.setPattern(pattern);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setName(name);
        console.setContext(this.context);
        console.setEncoder(encoder);
        console.start();
        return console;
    }

    /** Keeps the formatted messages it receives, like an application's own audit appender. */
    static final class CollectingAppender extends AppenderBase<ILoggingEvent> {

        final List<String> messages = new CopyOnWriteArrayList<>();

        CollectingAppender(String name) {
            setName(name);
        }

        @Override
        protected void append(ILoggingEvent event) {
            this.messages.add(event.getFormattedMessage());
        }
    }

    @AfterEach
    void stopContext() {
        this.context.stop();
    }

    @Test
    void jsonConsoleWritesMaskedRecords(CapturedOutput output) {
        install(Format.JSON);
        this.logger.info("user alice logged in with password={}", "hunter2");

        await().until(() -> output.getOut().contains("logged in"));
        String line = lineContaining(output.getOut(), "logged in");
        assertThat(LogEvents.parse(line))
                .containsEntry("message", "user alice logged in with password=****")
                .containsEntry("service_name", "links")
                .containsEntry("logger", "io.sightline.demo.LinkService");
        assertThat(output.getOut()).doesNotContain("hunter2").doesNotContain("BOOT INFO");
    }

    /**
     * Starting the JSON encoder builds its Jackson mapper, the starter's largest piece of work before the
     * application's first log line: the log writer does it with the first record it writes, and the records
     * are the same as with an encoder started in advance.
     */
    @Test
    void theJsonEncoderIsStartedByTheWriterWithItsFirstRecord(CapturedOutput output) {
        BoundedAsyncAppender async = install(Format.JSON);
        Encoder<ILoggingEvent> encoder = ((OutputStreamAppender<ILoggingEvent>)
                        async.getAppender(LogbackInstaller.CONSOLE_APPENDER))
                .getEncoder();
        assertThat(encoder).isInstanceOf(JsonLogEncoder.class);
        assertThat(encoder.isStarted()).as("started while installing").isFalse();

        this.logger.info("user alice logged in with password={}", "hunter2");

        await().until(() -> output.getOut().contains("logged in"));
        assertThat(encoder.isStarted()).isTrue();
        Map<String, Object> record = LogEvents.parse(lineContaining(output.getOut(), "logged in"));
        assertThat(record)
                .containsEntry("message", "user alice logged in with password=****")
                .containsEntry("service_name", "links")
                .containsEntry("thread", "main");
        assertThat(record)
                .containsOnlyKeys(
                        "@timestamp", "level", "logger", "thread", "message", "service_name", "service_version");
    }

    @Test
    void textConsoleKeepsBootsAppenderBehindTheQueueAndStillMasks(CapturedOutput output) {
        install(Format.TEXT);
        this.logger.info("connecting with token={}", "abc123");

        await().until(() -> output.getOut().contains("connecting"));
        assertThat(lineContaining(output.getOut(), "connecting")).isEqualTo("BOOT INFO connecting with token=****");
        assertThat(this.root.getAppender(LogbackInstaller.BOOT_CONSOLE_APPENDER))
                .isNull();
    }

    /** A logback-spring.xml whose console is not named CONSOLE: before, every line came twice, once unmasked. */
    @Test
    void aConsoleAppenderWithAnotherNameIsReplacedNotDoubled(CapturedOutput output) {
        this.root.addAppender(patternConsole("STDOUT", "STDOUT %msg%n"));
        LogbackInstaller.Installation installation = installation(Format.JSON);
        this.logger.info("user alice logged in with password={}", "hunter2");

        await().until(() -> output.getOut().contains("logged in"));
        installation.appender().stop();
        assertThat(output.getOut().lines().filter(line -> line.contains("logged in")))
                .singleElement()
                .satisfies(line -> assertThat(LogEvents.parse(line))
                        .containsEntry("message", "user alice logged in with password=****"));
        assertThat(output.getOut()).doesNotContain("hunter2").doesNotContain("STDOUT ");
        assertThat(installation.changes()).singleElement().asString().contains("'STDOUT'");
    }

    /** Any other appender on the root logger (a file, an audit sink) sees only masked events. */
    @Test
    void everyOtherRootAppenderReceivesMaskedEvents() {
        CollectingAppender audit = new CollectingAppender("AUDIT");
        audit.setContext(this.context);
        audit.start();
        this.root.addAppender(audit);
        LogbackInstaller.Installation installation = installation(Format.JSON);

        this.logger.info("connecting with token={}", "abc123");
        await().until(() -> !audit.messages.isEmpty());
        assertThat(audit.messages).containsExactly("connecting with token=****");
        assertThat(rootAppenders()).containsExactly(installation.appender());
        assertThat(installation.changes()).singleElement().asString().contains("'AUDIT'");

        new LogbackInstaller(this.context).uninstall();
        assertThat(rootAppenders())
                .extracting(Appender::getName)
                .containsExactlyInAnyOrder(LogbackInstaller.BOOT_CONSOLE_APPENDER, "AUDIT");
    }

    @Test
    void textModeShowsMdcEntriesAndKeyValuePairs(CapturedOutput output) {
        install(Format.TEXT);
        MDCAdapter mdc = this.context.getMDCAdapter();
        mdc.put("user_id", "alice");
        mdc.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        try {
            this.logger
                    .atInfo()
                    .addKeyValue("link_id", 7)
                    .addKeyValue("api_key", "k-1")
                    .log("link added");
        } finally {
            mdc.clear();
        }

        await().until(() -> output.getOut().contains("link added"));
        assertThat(lineContaining(output.getOut(), "link added"))
                .isEqualTo("BOOT INFO link added {user_id=alice, link_id=7, api_key=****}");
    }

    @Test
    void installingAgainReplacesInsteadOfDuplicating(CapturedOutput output) {
        BoundedAsyncAppender first = install(Format.TEXT);
        BoundedAsyncAppender second = install(Format.JSON);
        BoundedAsyncAppender third = install(Format.TEXT);

        assertThat(rootAppenders()).containsExactly(third);
        assertThat(first.isStarted()).isFalse();
        assertThat(second.isStarted()).isFalse();
        this.logger.info("exactly once");
        await().until(() -> output.getOut().contains("exactly once"));
        third.stop();
        assertThat(output.getOut().lines().filter(l -> l.contains("exactly once")))
                .hasSize(1);
    }

    @Test
    void uninstallGivesBootsConsoleBack() {
        install(Format.JSON);
        new LogbackInstaller(this.context).uninstall();

        assertThat(rootAppenders())
                .extracting(Appender::getName)
                .containsExactly(LogbackInstaller.BOOT_CONSOLE_APPENDER);
        assertThat(LogbackInstaller.installed(this.context)).isEmpty();
    }

    @Test
    void fileOutputIsJsonAndStoppingTheContextFlushesIt(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("not-yet-created/app.log");
        install(Format.TEXT, "file.path=" + file);
        for (int i = 0; i < 100; i++) {
            this.logger.info("event {} with Authorization: Bearer abcdef0123456789", i);
        }
        this.context.stop();

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(100);
        Map<String, Object> last = LogEvents.parse(lines.get(99));
        assertThat(last)
                .containsEntry("message", "event 99 with Authorization: Bearer ****")
                .containsEntry("service_version", "1.4.2");
    }

    @Test
    void fileIsRotatedBySizeByRenamingWithBoundedHistory(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("app.log");
        install(Format.TEXT, "file.path=" + file, "file.max-size=4KB", "file.max-history=2");

        // Each poll writes ~20 KB; rotation is checked at most every 250 ms, so keep writing until it happened often.
        List<Integer> rotations = new CopyOnWriteArrayList<>();
        await().until(() -> {
            for (int i = 0; i < 100; i++) {
                this.logger.info("filler line {} {}", i, "x".repeat(100));
            }
            rotations.add(filesIn(directory).size());
            return rotations.size() >= 4 && Files.exists(directory.resolve("app.log.2"));
        });
        writeOnceMoreAndStop();

        assertThat(filesIn(directory)).containsExactlyInAnyOrder("app.log", "app.log.1", "app.log.2");
        assertThat(rotations).allMatch(count -> count <= 3);
        for (String rotated : List.of("app.log.1", "app.log.2")) {
            assertThat(LogEvents.parse(firstLine(directory.resolve(rotated)))).containsKey("message");
        }
    }

    @Test
    void unusableLogDirectoryWarnsOnceAndKeepsLoggingToTheConsole(@TempDir Path directory, CapturedOutput output)
            throws IOException {
        Path notADirectory = Files.writeString(directory.resolve("plain-file"), "x");
        install(Format.TEXT, "file.path=" + notADirectory.resolve("app.log"));
        this.logger.info("still logging");

        await().until(() -> output.getOut().contains("still logging"));
        assertThat(output.getOut())
                .containsOnlyOnce("Cannot write the log file")
                .contains("change 'sightline.logging.file.path'")
                .contains(notADirectory.toString());
        assertThat(LogbackInstaller.installed(this.context).orElseThrow().getAppender(LogbackInstaller.FILE_APPENDER))
                .isNull();
    }

    @Test
    void problemWithReportsAFileInTheWayOfTheDirectory(@TempDir Path directory) throws IOException {
        Path blocker = Files.writeString(directory.resolve("blocker"), "x");
        assertThat(LogbackInstaller.problemWith(blocker.resolve("app.log"))).contains("cannot be created");
        assertThat(LogbackInstaller.problemWith(directory.resolve("fine/app.log")))
                .isNull();
    }

    private BoundedAsyncAppender install(Format format, String... properties) {
        return installation(format, properties).appender();
    }

    private LogbackInstaller.Installation installation(Format format, String... properties) {
        LoggingProperties settings = LogEvents.properties(properties);
        return new LogbackInstaller(this.context)
                .install(
                        settings, format, LogEvents.IDENTITY, settings.masking().masker());
    }

    private List<Appender<ILoggingEvent>> rootAppenders() {
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        this.root.iteratorForAppenders().forEachRemaining(appenders::add);
        return appenders;
    }

    private void writeOnceMoreAndStop() {
        this.logger.info("last line");
        this.context.stop();
    }

    private static List<String> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String firstLine(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.findFirst().orElseThrow();
        }
    }

    private static String lineContaining(String output, String text) {
        return output.lines().filter(line -> line.contains(text)).findFirst().orElseThrow();
    }
}
