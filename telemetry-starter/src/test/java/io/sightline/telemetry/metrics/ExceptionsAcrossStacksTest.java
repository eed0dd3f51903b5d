package io.sightline.telemetry.metrics;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.telemetry.support.RunningApp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same requests count the same in {@code sightline_exceptions_total} on Spring MVC and WebFlux: a
 * request the client got wrong (404 for a path nobody serves, a 400 the handler answers) is not an
 * exception that failed the request; an unhandled exception (500) is. Before, WebFlux counted every
 * 404 as {@code NoResourceFoundException} and MVC did not.
 */
class ExceptionsAcrossStacksTest {

    private static final Pattern SERIES =
            Pattern.compile("(?m)^sightline_exceptions_total\\{application=\"starter-test\",exception=\"([^\"]+)\"} ");

    @ParameterizedTest
    @EnumSource(
            value = WebApplicationType.class,
            names = {"SERVLET", "REACTIVE"})
    void clientErrorsAreNotCountedAndServerErrorsAre(WebApplicationType stack) {
        try (RunningApp app = RunningApp.start(
                App.class,
                stack,
                // Both Tomcat and Netty are on the starter's test classpath; a real WebFlux service has Netty only.
                "spring.autoconfigure.exclude="
                        + "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration")) {
            assertThat(app.get("/nobody/serves/this").statusCode()).isEqualTo(404);
            assertThat(app.get("/bad-request").statusCode()).isEqualTo(400);
            assertThat(app.get("/broken").statusCode()).isEqualTo(500);

            assertThat(countedClasses(app.scrape())).containsExactly("IllegalStateException");
        }
    }

    private static List<String> countedClasses(String scrape) {
        Matcher series = SERIES.matcher(scrape);
        return series.results().map(result -> result.group(1)).toList();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Endpoints.class)
    static class App {}

    @RestController
    static class Endpoints {

        @GetMapping("/bad-request")
        String badRequest() {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "id must be a number");
        }

        @GetMapping("/broken")
        String broken() {
            throw new IllegalStateException("failing on purpose");
        }
    }
}
