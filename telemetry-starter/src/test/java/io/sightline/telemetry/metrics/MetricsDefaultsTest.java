package io.sightline.telemetry.metrics;

import java.io.IOException;
import java.net.ServerSocket;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** The starter's metric defaults, their overrides, the off switch and bad values (no web server). */
class MetricsDefaultsTest {

    private static ConfigurableApplicationContext run(String... args) {
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .run(args);
    }

    @Test
    void defaultsApplyAndTheApplicationCanOverrideThem() {
        try (ConfigurableApplicationContext context = run("--spring.application.name=orders")) {
            assertThat(context.getEnvironment().getProperty("management.server.port"))
                    .isEqualTo("8081");
            assertThat(context.getEnvironment().getProperty("management.endpoints.web.exposure.include"))
                    .isEqualTo("health,info,prometheus");
            assertThat(context.getBean(MeterRegistry.class)
                            .counter("probe")
                            .getId()
                            .getTag("application"))
                    .isEqualTo("orders");
        }
        try (ConfigurableApplicationContext context =
                run("--management.server.port=9102", "--management.endpoints.web.exposure.include=health")) {
            assertThat(context.getEnvironment().getProperty("management.server.port"))
                    .isEqualTo("9102");
            assertThat(context.getEnvironment().getProperty("management.endpoints.web.exposure.include"))
                    .isEqualTo("health");
        }
    }

    @Test
    void applicationTagFallsBackToServiceName() {
        try (ConfigurableApplicationContext context = run("--SERVICE_NAME=billing")) {
            assertThat(context.getEnvironment().getProperty("management.metrics.tags.application"))
                    .isEqualTo("billing");
        }
    }

    @Test
    void otlpPushStartsOnlyWithAnEndpoint() throws IOException {
        try (ConfigurableApplicationContext context = run()) {
            assertThat(context.getBeanNamesForType(OtlpMeterRegistry.class)).isEmpty();
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // An unreachable collector: the registry starts, and start-up and shutdown are not held up.
        try (ConfigurableApplicationContext context =
                run("--management.otlp.metrics.export.url=http://127.0.0.1:" + closedPort + "/v1/metrics")) {
            assertThat(context.getBeanNamesForType(OtlpMeterRegistry.class)).hasSize(1);
        }
    }

    @Test
    void offSwitchRemovesTheStarterMetrics() {
        try (ConfigurableApplicationContext context = run("--sightline.metrics.enabled=false")) {
            assertThat(context.getBeanNamesForType(BuildInfoMetrics.class)).isEmpty();
            assertThat(context.getBeanNamesForType(ExceptionMetrics.class)).isEmpty();
            assertThat(context.getBeanNamesForType(PrometheusMeterRegistry.class))
                    .isEmpty();
            assertThat(context.getEnvironment().getProperty("management.endpoints.web.exposure.include"))
                    .isEqualTo("health,info");
        }
    }

    @Test
    void invalidCapsStopStartUpNamingTheProperty() {
        assertThatException()
                .isThrownBy(() -> run("--sightline.metrics.max-uri-tags=-1"))
                .withStackTraceContaining("sightline.metrics.max-uri-tags")
                .withStackTraceContaining("must be at least 1");
        assertThatException()
                .isThrownBy(() -> run("--sightline.metrics.max-exception-classes=0"))
                .withStackTraceContaining("sightline.metrics.max-exception-classes");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}
}
