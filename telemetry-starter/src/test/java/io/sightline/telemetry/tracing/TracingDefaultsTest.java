package io.sightline.telemetry.tracing;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/** Tracing defaults, endpoint mapping, the off switch and bad values (no web server). */
class TracingDefaultsTest {

    private static ConfigurableApplicationContext run(String... args) {
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .run(args);
    }

    @Test
    void nothingIsExportedWithoutAnEndpoint() {
        try (ConfigurableApplicationContext context = run()) {
            assertThat(context.getBeanNamesForType(SpanExporter.class)).isEmpty();
            assertThat(context.getEnvironment().getProperty("management.tracing.sampling.probability"))
                    .isEqualTo("0.1");
            assertThat(context.getBeanNamesForType(ContextPropagatingTaskDecorator.class))
                    .hasSize(1);
        }
    }

    /** Automatic Reactor context propagation costs every Reactor operator; only reactive web applications need it. */
    @Test
    void reactorContextPropagationIsLeftAsBootHasItOutsideReactiveWebApplications() {
        try (ConfigurableApplicationContext context = run()) {
            assertThat(context.getEnvironment().getProperty("spring.reactor.context-propagation"))
                    .isNull();
        }
    }

    @Test
    void otelEnvironmentVariablesAndBootsPropertyAreHonoured() {
        try (ConfigurableApplicationContext context = run(
                "--OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318/",
                "--management.otlp.metrics.export.enabled=false")) {
            assertThat(endpoint(context.getEnvironment())).isEqualTo("http://collector:4318/v1/traces");
            assertThat(context.getBeanNamesForType(SpanExporter.class)).isNotEmpty();
        }
        try (ConfigurableApplicationContext context = run(
                "--sightline.tracing.otlp.endpoint=http://a:4318/v1/traces",
                "--" + TracingEnvironmentPostProcessor.BOOT_OTLP_ENDPOINT + "=http://b:4318/v1/traces",
                "--sightline.tracing.sampling-probability=1.0")) {
            assertThat(endpoint(context.getEnvironment())).isEqualTo("http://b:4318/v1/traces");
            assertThat(context.getEnvironment().getProperty("management.tracing.sampling.probability"))
                    .isEqualTo("1.0");
        }
    }

    @Test
    void anUnreachableCollectorCostsNeitherTheCallerNorTheShutdown() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ConfigurableApplicationContext context = run(
                "--sightline.tracing.sampling-probability=1.0",
                "--sightline.tracing.otlp.endpoint=http://127.0.0.1:" + closedPort + "/v1/traces",
                "--management.opentelemetry.tracing.export.schedule-delay=50ms");
        // What bounds the shutdown: the exporter gives up after the starter's 5 s (connect 2 s), not Boot's 10 s.
        assertThat(context.getBeansOfType(SpanExporter.class).values())
                .singleElement()
                .asString()
                .contains("timeoutNanos=" + Duration.ofSeconds(5).toNanos())
                .contains("connectTimeoutNanos=" + Duration.ofSeconds(2).toNanos());
        Tracer tracer = context.getBean(Tracer.class);
        for (int i = 0; i < 100; i++) {
            Span span = tracer.nextSpan().name("work").start();
            assertThat(span.isNoop()).isFalse();
            span.end();
        }
        // Closing ends (a hang would not); how long it takes on a loaded machine is not this test's business.
        CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
        await().atMost(Duration.ofMinutes(1)).until(closed::isDone);
        assertThat(closed).isNotCompletedExceptionally();
    }

    @Test
    void offSwitchStopsSamplingAndExport() {
        try (ConfigurableApplicationContext context =
                run("--sightline.tracing.enabled=false", "--sightline.tracing.otlp.endpoint=http://a:4318/v1/traces")) {
            assertThat(context.getEnvironment().getProperty("management.tracing.sampling.probability"))
                    .isEqualTo("0.0");
            assertThat(context.getBeanNamesForType(SpanExporter.class)).isEmpty();
            assertThat(context.getBeanNamesForType(ContextPropagatingTaskDecorator.class))
                    .isEmpty();
        }
    }

    @Test
    void badValuesStopStartUpNamingTheProperty() {
        assertThatException()
                .isThrownBy(() -> run("--sightline.tracing.sampling-probability=1.5"))
                .withStackTraceContaining("sightline.tracing.sampling-probability")
                .withStackTraceContaining("between 0.0 and 1.0");
        assertThatException()
                .isThrownBy(() -> run("--sightline.tracing.otlp.endpoint=collector:4318"))
                .withStackTraceContaining("sightline.tracing.otlp.endpoint")
                .withStackTraceContaining("http:// or https://");
    }

    private static String endpoint(Environment environment) {
        return environment.getProperty(TracingEnvironmentPostProcessor.BOOT_OTLP_ENDPOINT);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}
}
