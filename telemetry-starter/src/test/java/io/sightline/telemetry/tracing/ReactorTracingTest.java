package io.sightline.telemetry.tracing;

import java.time.Duration;

import io.sightline.telemetry.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebFlux: after a hop to Reactor's parallel scheduler, code in the reactive chain still sees the
 * request's trace id in the log MDC (automatic context propagation, which the starter turns on).
 */
class ReactorTracingTest {

    private static final String TRACE_ID = "5b8aa5a2d2c872e8321cf37308d69df2";

    @Test
    void reactiveChainsSeeTheRequestTraceAfterSwitchingThreads() {
        // Both Tomcat and Netty are on the starter's test classpath; a real WebFlux service has Netty only.
        try (RunningApp app = RunningApp.start(
                App.class,
                WebApplicationType.REACTIVE,
                "spring.autoconfigure.exclude="
                        + "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration")) {
            assertThat(app.get("/reactive", "traceparent", RunningApp.traceparent(TRACE_ID))
                            .body())
                    .isEqualTo(TRACE_ID + " on parallel");
            assertThat(app.context().getEnvironment().getProperty("spring.reactor.context-propagation"))
                    .isEqualTo("auto");
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Endpoints.class)
    static class App {}

    @RestController
    static class Endpoints {

        @GetMapping("/reactive")
        Mono<String> reactive() {
            return Mono.delay(Duration.ofMillis(5))
                    .map((tick) -> MDC.get("traceId") + " on "
                            + Thread.currentThread().getName().replaceAll("-.*", ""));
        }
    }
}
