package io.sightline.telemetry.metrics;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.common.KeyValue;
import io.sightline.telemetry.support.RunningApp;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of 10,000 distinct paths must not grow {@code http_server_requests_seconds} past
 * {@code sightline.metrics.max-uri-tags}. The application here deliberately tags requests with
 * their raw path (the classic mistake that makes the cap necessary); with Spring's path templates
 * the flood would not even reach it.
 */
class UriTagCapTest {

    private static final int CAP = 25;

    @Test
    void tenThousandDistinctPathsStayWithinTheCap() {
        try (RunningApp app =
                RunningApp.start(App.class, WebApplicationType.SERVLET, "sightline.metrics.max-uri-tags=" + CAP)) {
            for (int i = 0; i < 10_000; i++) {
                assertThat(app.get("/raw/" + i).statusCode()).isEqualTo(200);
            }
            Matcher uri = Pattern.compile("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"")
                    .matcher(app.scrape());
            Set<String> uris = new HashSet<>();
            while (uri.find()) {
                uris.add(uri.group(1));
            }
            assertThat(uris).hasSizeBetween(CAP - 1, CAP).contains("/raw/0");
            assertThat(app.scrape()).doesNotContain("uri=\"/raw/9999\"");
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(RawPaths.class)
    static class App {

        @Bean
        ServerRequestObservationConvention rawPathConvention() {
            return new DefaultServerRequestObservationConvention() {
                @Override
                protected KeyValue uri(ServerRequestObservationContext context) {
                    HttpServletRequest request = context.getCarrier();
                    return KeyValue.of("uri", request.getRequestURI());
                }
            };
        }
    }

    @RestController
    static class RawPaths {

        @GetMapping("/raw/*")
        String raw() {
            return "ok";
        }
    }
}
