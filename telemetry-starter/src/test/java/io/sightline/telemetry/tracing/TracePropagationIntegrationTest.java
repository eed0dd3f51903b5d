package io.sightline.telemetry.tracing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.sightline.telemetry.support.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a servlet application consumes and passes on, through real HTTP servers on 127.0.0.1: the trace is
 * continued from W3C, B3 single and B3 multi headers, a received {@code baggage} header reaches an outgoing
 * {@link RestClient} call unchanged, a correlation field and a remote field reach the MDC; an application's
 * {@code management.tracing.propagation.consume} and its own {@link TextMapPropagator} bean still decide.
 * The default application runs with the starter's extract ({@link LeanExtractPropagator}), the remote-field
 * one with Boot's.
 */
class TracePropagationIntegrationTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    private static final String SPAN = "b7ad6b7169203331";

    private static final String TRACEPARENT = "00-" + TRACE + "-" + SPAN + "-01";

    /** The headers of the last call the downstream server received, by the caller's request id. */
    private static final Map<String, Map<String, List<String>>> DOWNSTREAM = new ConcurrentHashMap<>();

    private static HttpServer downstream;

    private static RunningApp defaults;

    private static RunningApp consumingB3;

    private static RunningApp remoteField;

    @BeforeAll
    static void start() throws IOException {
        downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        downstream.createContext("/", (exchange) -> {
            DOWNSTREAM.put(exchange.getRequestURI().getQuery(), Map.copyOf(exchange.getRequestHeaders()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        downstream.start();
        String downstreamUrl =
                "downstream.url=http://127.0.0.1:" + downstream.getAddress().getPort() + "/";
        defaults = RunningApp.start(
                App.class,
                WebApplicationType.SERVLET,
                downstreamUrl,
                "management.tracing.baggage.correlation.fields=tenant");
        consumingB3 = RunningApp.start(
                App.class, WebApplicationType.SERVLET, downstreamUrl, "management.tracing.propagation.consume=b3");
        remoteField = RunningApp.start(
                App.class,
                WebApplicationType.SERVLET,
                downstreamUrl,
                "management.tracing.baggage.remote-fields=x-tenant",
                "management.tracing.baggage.correlation.fields=x-tenant");
    }

    @AfterAll
    static void stop() {
        defaults.close();
        consumingB3.close();
        remoteField.close();
        downstream.stop(0);
    }

    @Test
    void theDefaultApplicationExtractsWithTheStartersPropagatorAndTheRemoteFieldOneWithBoots() {
        LeanExtractPropagatorTest.leanPropagator(defaults.context());
        assertThat(remoteField.context().getBeansOfType(TextMapPropagator.class).values())
                .noneMatch(LeanExtractPropagator.class::isInstance);
    }

    @Test
    void aTraceIsContinuedFromW3cB3AndB3MultiHeaders() {
        assertThat(traceId(defaults, "traceparent", TRACEPARENT)).isEqualTo(TRACE);
        assertThat(traceId(defaults, "b3", TRACE + "-" + SPAN + "-1")).isEqualTo(TRACE);
        assertThat(traceId(defaults, "X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Sampled", "1"))
                .isEqualTo(TRACE);
        assertThat(traceId(defaults)).matches("[0-9a-f]{32}").isNotEqualTo(TRACE);
    }

    @Test
    void aReceivedBaggageHeaderIsPassedOnUnchangedWithTheTrace() {
        Map<String, List<String>> sent = forward(
                defaults, "baggage-passed-on", "traceparent", TRACEPARENT, "baggage", "region=eu-1,tenant=acme");
        assertThat(sent.get("Baggage")).containsExactly("region=eu-1,tenant=acme");
        assertThat(sent.get("Traceparent")).singleElement().asString().startsWith("00-" + TRACE + "-");
    }

    @Test
    void withoutTracingHeadersTheOutgoingCallStartsTheNewTraceAndCarriesNoBaggage() {
        Map<String, List<String>> sent = forward(defaults, "no-headers");
        assertThat(sent.get("Traceparent")).singleElement().asString().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        assertThat(sent).doesNotContainKey("Baggage");
    }

    @Test
    void aCorrelationFieldFromTheBaggageHeaderReachesTheMdc() {
        assertThat(defaults.get("/mdc/tenant", "traceparent", TRACEPARENT, "baggage", "tenant=acme")
                        .body())
                .isEqualTo(TRACE + " acme");
    }

    @Test
    void aRemoteFieldThatIsACorrelationFieldReachesTheMdcAndTheOutgoingCall() {
        assertThat(remoteField
                        .get("/mdc/x-tenant", "traceparent", TRACEPARENT, "x-tenant", "acme")
                        .body())
                .isEqualTo(TRACE + " acme");
        assertThat(forward(remoteField, "remote-field", "traceparent", TRACEPARENT, "x-tenant", "acme")
                        .get("X-tenant"))
                .containsExactly("acme");
    }

    @Test
    void theApplicationsConsumeSettingDecides() {
        assertThat(traceId(consumingB3, "traceparent", TRACEPARENT)).isNotEqualTo(TRACE);
        assertThat(traceId(consumingB3, "b3", TRACE + "-" + SPAN + "-1")).isEqualTo(TRACE);
        assertThat(traceId(consumingB3, "X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN))
                .isEqualTo(TRACE);
    }

    /** Boot composes every propagator bean; the application's own still extracts beside Boot's. */
    @Test
    void theApplicationsOwnPropagatorStillContinuesItsTraces() {
        assertThat(traceId(defaults, LegacyPropagator.HEADER, TRACE)).isEqualTo(TRACE);
        assertThat(defaults.context().getBean("legacyPropagator")).isInstanceOf(LegacyPropagator.class);
    }

    private static String traceId(RunningApp app, String... headers) {
        return app.get("/mdc/none", headers).body().split(" ")[0];
    }

    private static Map<String, List<String>> forward(RunningApp app, String id, String... headers) {
        assertThat(app.get("/forward?id=" + id, headers).statusCode()).isEqualTo(200);
        assertThat(DOWNSTREAM).containsKey(id);
        return DOWNSTREAM.get(id);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Endpoints.class)
    static class App {

        @Bean
        LegacyPropagator legacyPropagator() {
            return new LegacyPropagator();
        }

        @Bean
        RestClient restClient(ObservationRegistry observations, @Value("${downstream.url}") String url) {
            return RestClient.builder()
                    .baseUrl(url)
                    .observationRegistry(observations)
                    .build();
        }
    }

    /** An application's own format: a bare trace id in {@code x-legacy-trace}. */
    static class LegacyPropagator implements TextMapPropagator {

        static final String HEADER = "x-legacy-trace";

        @Override
        public List<String> fields() {
            return List.of(HEADER);
        }

        @Override
        public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {}

        @Override
        public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
            String traceId = getter.get(carrier, HEADER);
            if (traceId == null) {
                return context;
            }
            return context.with(Span.wrap(SpanContext.createFromRemoteParent(
                    traceId, SPAN, TraceFlags.getSampled(), TraceState.getDefault())));
        }
    }

    @RestController
    static class Endpoints {

        private final RestClient downstream;

        Endpoints(RestClient downstream) {
            this.downstream = downstream;
        }

        /** The trace id and one more MDC entry, as a log line of the request would carry them. */
        @GetMapping("/mdc/{key}")
        String mdc(@org.springframework.web.bind.annotation.PathVariable String key) {
            return MDC.get("traceId") + " " + MDC.get(key);
        }

        @GetMapping("/forward")
        String forward(@org.springframework.web.bind.annotation.RequestParam String id) {
            this.downstream.get().uri("?" + id).retrieve().toBodilessEntity();
            return "forwarded";
        }
    }
}
