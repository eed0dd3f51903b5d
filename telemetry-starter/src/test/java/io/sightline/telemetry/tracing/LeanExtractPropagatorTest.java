package io.sightline.telemetry.tracing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's extract against the propagator Boot builds, in real application contexts (no web server):
 * for every propagation setting below and every header set, the same trace, the same baggage and the same
 * headers injected onward (which carries the B3 debug flag and the sampled flag too).
 */
class LeanExtractPropagatorTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    private static final String OTHER_TRACE = "463ac35c9f6413ad48485a3953bb6124";

    private static final String SPAN = "b7ad6b7169203331";

    /** Header sets a request may carry, valid, mixed and broken. */
    private static final Map<String, Map<String, String>> REQUESTS = new LinkedHashMap<>();

    static {
        REQUESTS.put("none", Map.of());
        REQUESTS.put("traceparent", Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01"));
        REQUESTS.put("traceparent unsampled", Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-00"));
        REQUESTS.put(
                "traceparent and baggage",
                Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01", "baggage", "tenant=acme,region=eu-1"));
        REQUESTS.put("baggage only", Map.of("baggage", "tenant=acme"));
        REQUESTS.put("unparsable baggage only", Map.of("baggage", "=;,"));
        REQUESTS.put("broken traceparent", Map.of("traceparent", "00-zz-" + SPAN + "-01"));
        REQUESTS.put("b3 single", Map.of("b3", TRACE + "-" + SPAN + "-1"));
        REQUESTS.put("b3 single, debug", Map.of("b3", TRACE + "-" + SPAN + "-d"));
        REQUESTS.put("b3 single, empty", Map.of("b3", ""));
        REQUESTS.put("b3 multi", Map.of("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Sampled", "1"));
        REQUESTS.put("b3 multi, debug", Map.of("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Flags", "1"));
        REQUESTS.put("b3 multi without span", Map.of("X-B3-TraceId", TRACE));
        REQUESTS.put(
                "traceparent and b3 of another trace",
                Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01", "b3", OTHER_TRACE + "-" + SPAN + "-1"));
        REQUESTS.put(
                "broken traceparent and b3",
                Map.of("traceparent", "00-zz-" + SPAN + "-01", "b3", OTHER_TRACE + "-" + SPAN + "-1"));
        REQUESTS.put("baggage and b3", Map.of("baggage", "tenant=acme", "b3", OTHER_TRACE + "-" + SPAN + "-1"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "--management.tracing.baggage.enabled=false",
                "--management.tracing.propagation.consume=b3_multi,w3c,b3",
                "--management.tracing.propagation.consume=w3c",
                "--management.tracing.propagation.consume=b3",
                "--management.tracing.propagation.type=b3_multi",
                "--management.tracing.baggage.correlation.fields=tenant"
            })
    void everyRequestGetsBootsContext(String setting) {
        try (ConfigurableApplicationContext context = run(setting)) {
            LeanExtractPropagator lean = leanPropagator(context);
            TextMapPropagator boots = lean.boots();
            assertThat(boots.getClass().getName()).isEqualTo(LeanExtractPostProcessor.BOOTS_PROPAGATOR);
            REQUESTS.forEach((name, headers) -> {
                Context expected = extract(boots, headers);
                Context actual = extract(lean, headers);
                assertThat(Span.fromContext(actual).getSpanContext())
                        .as(name)
                        .isEqualTo(Span.fromContext(expected).getSpanContext());
                assertThat(Baggage.fromContext(actual).asMap())
                        .as(name)
                        .isEqualTo(Baggage.fromContext(expected).asMap());
                assertThat(injected(boots, actual)).as(name).isEqualTo(injected(boots, expected));
            });
            assertThat(lean.fields()).isEqualTo(boots.fields());
        }
    }

    /** With remote fields Micrometer's propagator reads headers of its own: Boot's propagator is kept. */
    @Test
    void withARemoteFieldBootsPropagatorIsKept() {
        try (ConfigurableApplicationContext context = run("--management.tracing.baggage.remote-fields=x-tenant")) {
            assertThat(context.getBeansOfType(TextMapPropagator.class).values())
                    .noneMatch(LeanExtractPropagator.class::isInstance)
                    .anyMatch((propagator) ->
                            propagator.getClass().getName().equals(LeanExtractPostProcessor.BOOTS_PROPAGATOR));
        }
    }

    private static ConfigurableApplicationContext run(String setting) {
        String[] args = setting.isEmpty() ? new String[0] : new String[] {setting};
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .run(args);
    }

    static LeanExtractPropagator leanPropagator(ConfigurableApplicationContext context) {
        List<LeanExtractPropagator> lean = context.getBeansOfType(TextMapPropagator.class).values().stream()
                .filter(LeanExtractPropagator.class::isInstance)
                .map(LeanExtractPropagator.class::cast)
                .toList();
        assertThat(lean).hasSize(1);
        return lean.get(0);
    }

    private static Context extract(TextMapPropagator propagator, Map<String, String> headers) {
        Map<String, String> request = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.putAll(headers);
        return propagator.extract(Context.root(), request, HEADERS);
    }

    private static Map<String, String> injected(TextMapPropagator propagator, Context context) {
        Map<String, String> outgoing = new TreeMap<>();
        propagator.inject(context, outgoing, Map::put);
        return outgoing;
    }

    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {

        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return (carrier != null) ? carrier.get(key) : null;
        }
    };

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}
}
