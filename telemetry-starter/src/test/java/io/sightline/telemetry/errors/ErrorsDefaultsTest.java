package io.sightline.telemetry.errors;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** Mapping of {@code sightline.errors.*} to Sentry's properties, and bad values (no web server, no network). */
class ErrorsDefaultsTest {

    private static ConfigurableApplicationContext run(String... args) {
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .run(args);
    }

    @Test
    void dsnFromTheEnvironmentVariableGetsBoundedTimeoutsAndQueue() {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource(
                        "testVariables", Map.of("SENTRY_DSN", "http://key@127.0.0.1:9/1")));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .environment(environment)
                .run()) {
            assertThat(context.getEnvironment().getProperty("sentry.shutdown-timeout-millis"))
                    .isEqualTo("700");
            assertThat(context.getEnvironment().getProperty("sentry.max-queue-size"))
                    .isEqualTo("100");
            assertThat(context.getEnvironment().getProperty("sentry.environment"))
                    .isEqualTo("production");
            assertThat(context.getBeanNamesForType(ErrorsAutoConfiguration.class))
                    .hasSize(1);
        }
    }

    @Test
    void malformedDsnStopsStartUpNamingTheProperty() {
        assertThatException()
                .isThrownBy(() -> run("--sightline.errors.sentry.dsn=https://sentry.example.com/42"))
                .withStackTraceContaining("sightline.errors.sentry.dsn")
                .withStackTraceContaining("no public key");
        assertThatException()
                .isThrownBy(() -> run("--sentry.dsn=key@sentry.example.com/42"))
                .withStackTraceContaining("sentry.dsn (or SENTRY_DSN)");
        assertThatException()
                .isThrownBy(() -> run("--sightline.errors.sentry.max-queue-size=-5"))
                .withStackTraceContaining("sightline.errors.sentry.max-queue-size");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}
}
