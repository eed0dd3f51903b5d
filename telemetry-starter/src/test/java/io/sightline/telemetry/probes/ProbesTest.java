package io.sightline.telemetry.probes;

import io.sightline.telemetry.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

class ProbesTest {

    @Test
    void livenessAndReadinessAreServedOnTheManagementPortOnly() {
        try (RunningApp app = RunningApp.start(App.class, WebApplicationType.SERVLET)) {
            for (String probe : new String[] {"liveness", "readiness"}) {
                var response = app.get(app.managementPort(), "/actuator/health/" + probe);
                assertThat(response.statusCode()).as(probe).isEqualTo(200);
                assertThat(response.body()).contains("\"status\":\"UP\"");
                assertThat(app.get(app.port(), "/actuator/health/" + probe).statusCode())
                        .isEqualTo(404);
                assertThat(app.get(app.port(), "/" + probe).statusCode()).isEqualTo(404);
            }
            // What Kubernetes sees when the application refuses traffic, e.g. while shutting down.
            AvailabilityChangeEvent.publish(app.context(), ReadinessState.REFUSING_TRAFFIC);
            assertThat(app.get(app.managementPort(), "/actuator/health/readiness")
                            .statusCode())
                    .isEqualTo(503);
            assertThat(app.get(app.managementPort(), "/actuator/health/liveness")
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void shutdownIsGracefulAndBounded() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .run("--sightline.probes.shutdown-timeout=15s")) {
            assertThat(context.getEnvironment().getProperty("server.shutdown")).isEqualTo("graceful");
            assertThat(context.getEnvironment().getProperty("spring.lifecycle.timeout-per-shutdown-phase"))
                    .isEqualTo("15000ms");
        }
        assertThatException()
                .isThrownBy(() -> new SpringApplicationBuilder(App.class)
                        .web(WebApplicationType.NONE)
                        .run("--sightline.probes.shutdown-timeout=-1s"))
                .withStackTraceContaining("sightline.probes.shutdown-timeout");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}
}
