package io.sightline.telemetry.metrics;

import io.sightline.telemetry.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/** The same metrics from a WebFlux (Reactor Netty) application. */
class WebFluxMetricsTest {

    @Test
    void exceptionsBucketsAndPortsMatchTheServletStack() {
        // Both Tomcat and Netty are on the starter's test classpath; a real WebFlux service has Netty only.
        try (RunningApp app = RunningApp.start(
                App.class,
                WebApplicationType.REACTIVE,
                "spring.autoconfigure.exclude="
                        + "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration")) {
            assertThat(app.get("/orders/7").statusCode()).isEqualTo(200);
            assertThat(app.get("/orders/7/fail").statusCode()).isEqualTo(500);
            String scrape = app.scrape();
            assertThat(scrape)
                    .containsPattern(
                            "sightline_exceptions_total\\{application=\"starter-test\",exception=\"UnsupportedOperationException\"} 1");
            assertThat(scrape).contains("le=\"0.005\"").contains("le=\"10.0\"").doesNotContain("le=\"0.001\"");
            assertThat(scrape).contains("uri=\"/orders/{id}\"");
            assertThat(app.get(app.port(), "/actuator/prometheus").statusCode()).isEqualTo(404);
            // the one reactive convention in the context (Boot's backs off) is the starter's: these tags came from it
            assertThat(app.context()
                            .getBean(
                                    org.springframework.http.server.reactive.observation
                                            .ServerRequestObservationConvention.class))
                    .isInstanceOf(CachingReactiveServerRequestConvention.class);
            // and these timers came from the starter's meter handler
            assertThat(app.context()
                            .getBean(CachingServerRequestMeterHandler.class)
                            .cached())
                    .isPositive();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Endpoints.class)
    static class App {}

    @RestController
    static class Endpoints {

        @GetMapping("/orders/{id}")
        Mono<String> order(@PathVariable String id) {
            return Mono.just("order " + id);
        }

        @GetMapping("/orders/{id}/fail")
        Mono<String> fail(@PathVariable String id) {
            return Mono.error(new UnsupportedOperationException("order " + id + " cannot be shipped"));
        }
    }
}
