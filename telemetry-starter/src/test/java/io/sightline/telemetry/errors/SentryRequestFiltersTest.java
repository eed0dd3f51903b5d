package io.sightline.telemetry.errors;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import io.sentry.protocol.User;
import io.sentry.spring7.SentrySpringFilter;
import io.sentry.spring7.SentryUserProvider;
import io.sightline.telemetry.support.LocalHttpReceiver;
import io.sightline.telemetry.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.JsonNode;

import static io.sightline.telemetry.errors.SentryApps.events;
import static io.sightline.telemetry.errors.SentryApps.reportingTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sentry's per-request servlet filters that can do nothing while Sentry's tracing is off and no personal data
 * is sent are not registered; the errors reported still carry their request, and their Sentry trace is the
 * request's own (its OpenTelemetry trace). Against a real HTTP server on 127.0.0.1 that accepts envelopes.
 */
class SentryRequestFiltersTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static final String TRACING_FILTER = "sentryTracingFilter";

    private static final String USER_FILTER = "sentryUserFilter";

    @Test
    void withSentrysTracingOffNeitherItsTracingNorItsUserFilterRunsAndErrorsKeepTheirRequest() throws IOException {
        try (LocalHttpReceiver sentry = new LocalHttpReceiver();
                RunningApp app = reportingTo(sentry, App.class)) {
            assertThat(registeredFilters(app))
                    .contains("sentrySpringFilter")
                    .doesNotContain(TRACING_FILTER, USER_FILTER);
            assertThat(scopeFilter(app)).isInstanceOf(SentryRequestScopeFilter.class);

            assertThat(app.get("/fail?token=t0p-s3cret", "traceparent", RunningApp.traceparent(TRACE_ID))
                            .statusCode())
                    .isEqualTo(500);
            await().atMost(Duration.ofSeconds(15)).until(() -> !events(sentry).isEmpty());
            JsonNode event = events(sentry).get(0);
            assertThat(event.path("request").path("method").asString()).isEqualTo("GET");
            assertThat(event.path("request").path("url").asString()).endsWith("/fail");
            assertThat(event.path("request").path("query_string").asString()).isEqualTo("token=****");
            assertThat(event.path("tags").path("trace_id").asString()).isEqualTo(TRACE_ID);
            // Sentry's own trace of the error is the request's trace, not one shared by every request
            assertThat(event.path("contexts").path("trace").path("trace_id").asString())
                    .isEqualTo(TRACE_ID);
            assertThat(event.path("user").path("id").isMissingNode()).isTrue();
        }
    }

    @Test
    void withSentrysTracingOnItsTracingFilterRuns() throws IOException {
        try (LocalHttpReceiver sentry = new LocalHttpReceiver();
                RunningApp app = reportingTo(sentry, App.class, "sentry.traces-sample-rate=1.0")) {
            assertThat(registeredFilters(app)).contains(TRACING_FILTER).doesNotContain(USER_FILTER);

            // Sentry's tracing continues the caller's Sentry trace, and the error stays in it
            String sentryTrace = "0af7651916cd43dd8448eb211c80319c";
            assertThat(app.get("/fail", "sentry-trace", sentryTrace + "-b7ad6b7169203331-1")
                            .statusCode())
                    .isEqualTo(500);
            await().atMost(Duration.ofSeconds(15)).until(() -> !events(sentry).isEmpty());
            assertThat(events(sentry)
                            .get(0)
                            .path("contexts")
                            .path("trace")
                            .path("trace_id")
                            .asString())
                    .isEqualTo(sentryTrace);
        }
    }

    @Test
    void withPersonalDataOnTheUserFilterRuns() throws IOException {
        try (LocalHttpReceiver sentry = new LocalHttpReceiver();
                RunningApp app = reportingTo(sentry, App.class, "sentry.send-default-pii=true")) {
            assertThat(registeredFilters(app)).contains(USER_FILTER).doesNotContain(TRACING_FILTER);
        }
    }

    @Test
    void anApplicationsUserProviderKeepsTheUserFilterAndItsUserReachesTheEvent() throws IOException {
        try (LocalHttpReceiver sentry = new LocalHttpReceiver();
                RunningApp app = reportingTo(sentry, UserProviderApp.class)) {
            assertThat(registeredFilters(app)).contains(USER_FILTER);

            assertThat(app.get("/fail").statusCode()).isEqualTo(500);
            await().atMost(Duration.ofSeconds(15)).until(() -> !events(sentry).isEmpty());
            assertThat(events(sentry).get(0).path("user").path("id").asString()).isEqualTo("customer-17");
        }
    }

    @Test
    void whileRequestBodiesCanBeCapturedSentrysFilterStaysAndTheBodyReachesTheEvent() throws Exception {
        try (LocalHttpReceiver sentry = new LocalHttpReceiver();
                RunningApp app = reportingTo(
                        sentry, App.class, "sentry.send-default-pii=true", "sentry.max-request-body-size=always")) {
            assertThat(scopeFilter(app)).isExactlyInstanceOf(SentrySpringFilter.class);

            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/pay"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":17}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(500);
            await().atMost(Duration.ofSeconds(15)).until(() -> !events(sentry).isEmpty());
            JsonNode request = events(sentry).get(0).path("request");
            assertThat(request.path("method").asString()).isEqualTo("POST");
            // Sentry sends the captured body as the string it read
            assertThat(request.path("data").asString()).isEqualTo("{\"amount\":17}");
        }
    }

    @Test
    void withRequestsOnDemandOffSentrysFilterStays() throws IOException {
        try (LocalHttpReceiver sentry = new LocalHttpReceiver();
                RunningApp app = reportingTo(sentry, App.class, "sightline.errors.sentry.request-on-demand=false")) {
            assertThat(scopeFilter(app)).isExactlyInstanceOf(SentrySpringFilter.class);
        }
    }

    private static Object scopeFilter(RunningApp app) {
        return app.context()
                .getBean("sentrySpringFilter", FilterRegistrationBean.class)
                .getFilter();
    }

    private static Set<String> registeredFilters(RunningApp app) {
        return ((WebApplicationContext) app.context())
                .getServletContext()
                .getFilterRegistrations()
                .keySet();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Endpoints.class)
    static class App {}

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Endpoints.class)
    static class UserProviderApp {

        @Bean
        SentryUserProvider customer() {
            return () -> {
                User user = new User();
                user.setId("customer-17");
                return user;
            };
        }
    }

    @RestController
    static class Endpoints {

        @GetMapping("/fail")
        String fail() {
            throw new IllegalStateException("the gateway refused the payment");
        }

        @PostMapping("/pay")
        String pay(@RequestBody String payment) {
            throw new IllegalStateException("the gateway refused " + payment.length() + " bytes");
        }
    }
}
