package io.sightline.telemetry.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.sightline.telemetry.logging.LoggingProperties.Format;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * How the starter takes over logback when an application starts: console format selection, a
 * misconfigured property, the off switch, and applications started again in the same JVM.
 */
@ExtendWith(OutputCaptureExtension.class)
class SightlineLoggingListenerTest {

    private static final Function<String, String> IN_KUBERNETES =
            name -> LoggingProperties.KUBERNETES_ENV.equals(name) ? "10.96.0.1" : null;

    private static final Function<String, String> ON_A_LAPTOP = name -> null;

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void giveLoggingBack() {
        new LogbackInstaller(this.context).uninstall();
    }

    @Test
    void autoMeansJsonInKubernetesAndTextElsewhere() {
        assertThat(Format.AUTO.resolve(IN_KUBERNETES)).isEqualTo(Format.JSON);
        assertThat(Format.AUTO.resolve(ON_A_LAPTOP)).isEqualTo(Format.TEXT);
        assertThat(Format.TEXT.resolve(IN_KUBERNETES)).isEqualTo(Format.TEXT);
        assertThat(Format.JSON.resolve(ON_A_LAPTOP)).isEqualTo(Format.JSON);
    }

    @Test
    void consoleIsJsonInKubernetes() {
        new SightlineLoggingListener(IN_KUBERNETES).onApplicationEvent(environmentPrepared(Map.of()));
        assertThat(consoleEncoderIsJson()).isTrue();
    }

    @Test
    void consoleIsTextOnALaptop() {
        new SightlineLoggingListener(ON_A_LAPTOP).onApplicationEvent(environmentPrepared(Map.of()));
        assertThat(consoleEncoderIsJson()).isFalse();
    }

    @Test
    void explicitFormatWinsOverTheEnvironment() {
        new SightlineLoggingListener(ON_A_LAPTOP)
                .onApplicationEvent(environmentPrepared(Map.of("sightline.logging.format", "json")));
        assertThat(consoleEncoderIsJson()).isTrue();
    }

    @Test
    void offSwitchLeavesLogbackAlone() {
        new SightlineLoggingListener(ON_A_LAPTOP).onApplicationEvent(environmentPrepared(Map.of()));
        new SightlineLoggingListener(ON_A_LAPTOP)
                .onApplicationEvent(environmentPrepared(Map.of("sightline.logging.enabled", "false")));
        assertThat(LogbackInstaller.installed(this.context)).isEmpty();
    }

    @Test
    void invalidQueueSizeFailsTheStartNamingTheProperty() {
        assertThatException()
                .isThrownBy(() -> new SightlineLoggingListener(ON_A_LAPTOP)
                        .onApplicationEvent(environmentPrepared(Map.of("sightline.logging.async.queue-size", "-1"))))
                .satisfies(ex -> assertThat(messages(ex))
                        .contains("'sightline.logging.async.queue-size'")
                        .contains("set it to a positive number"));
    }

    @Test
    void invalidQueueSizeStopsARealStartWithAReportNamingTheProperty(CapturedOutput output) {
        assertThatException()
                .isThrownBy(() -> start(
                        new String[] {"--sightline.logging.async.queue-size=-1", "--spring.main.banner-mode=off"}));
        await().until(() -> output.getOut().contains("APPLICATION FAILED TO START"));
        assertThat(output.getOut()).contains("Invalid value '-1' for 'sightline.logging.async.queue-size'");
    }

    @Test
    void applicationsStartedAgainInTheSameJvmDoNotDuplicateAppenders(CapturedOutput output) {
        String[] args = {
            "--spring.application.name=restart-test", "--sightline.logging.format=json", "--spring.main.banner-mode=off"
        };
        try (ConfigurableApplicationContext first = start(args)) {
            // A second application while the first runs: Boot keeps its logback set-up, the starter re-installs.
            start(args).close();
        }
        try (ConfigurableApplicationContext restarted = start(args)) {
            Logger root = this.context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            assertThat(root.getAppender(LogbackInstaller.BOOT_CONSOLE_APPENDER)).isNull();
            List<String> names = new ArrayList<>();
            root.iteratorForAppenders().forEachRemaining(a -> names.add(a.getName()));
            assertThat(names).containsOnlyOnce(LogbackInstaller.ASYNC_APPENDER);

            LoggerFactory.getLogger("restart.check").info("logged once after restarts");
            await().until(() -> output.getOut().contains("logged once after restarts"));
            assertThat(output.getOut().lines().filter(line -> line.contains("logged once after restarts")))
                    .singleElement()
                    .satisfies(line -> assertThat(LogEvents.parse(line)).containsEntry("service_name", "restart-test"));
        }
    }

    private static ConfigurableApplicationContext start(String[] args) {
        return new SpringApplicationBuilder(Empty.class)
                .web(WebApplicationType.NONE)
                .run(args);
    }

    private boolean consoleEncoderIsJson() {
        BoundedAsyncAppender async = LogbackInstaller.installed(this.context).orElseThrow();
        List<Appender<ILoggingEvent>> children = new ArrayList<>();
        async.iteratorForAppenders().forEachRemaining(children::add);
        return children.stream()
                .filter(OutputStreamAppender.class::isInstance)
                .map(a -> ((OutputStreamAppender<ILoggingEvent>) a).getEncoder())
                .anyMatch(JsonLogEncoder.class::isInstance);
    }

    private static ApplicationEnvironmentPreparedEvent environmentPrepared(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return new ApplicationEnvironmentPreparedEvent(
                new DefaultBootstrapContext(), new SpringApplication(), new String[0], environment);
    }

    private static String messages(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    /** An application with nothing in it: only the listeners from spring.factories run. */
    @Configuration(proxyBeanMethods = false)
    static class Empty {}
}
