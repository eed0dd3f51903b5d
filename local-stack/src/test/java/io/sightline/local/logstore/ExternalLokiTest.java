package io.sightline.local.logstore;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sightline.dashboards.LogqlSyntax;
import io.sightline.local.http.JsonHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Loki variant of the record counts. No Loki binary can run here, so this uses a fake that follows Loki's
 * documented HTTP API: {@code GET /ready} answers 200 "ready", {@code GET /loki/api/v1/query} needs a {@code query}
 * parameter and answers an instant vector ({@code {"status":"success","data":{"resultType":"vector","result":[...]}}},
 * an empty result when nothing matched). The LogQL text itself is asserted, since the fake cannot evaluate it,
 * and checked with the dashboards module's LogQL grammar.
 */
class ExternalLokiTest {

    private final List<String> queries = new CopyOnWriteArrayList<>();
    private HttpServer loki;
    private volatile String answer = "12";

    private URI startFakeLoki(boolean ready) throws IOException {
        loki = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        loki.createContext(
                "/ready", exchange -> respond(exchange, ready ? 200 : 503, ready ? "ready\n" : "Ingester not ready\n"));
        loki.createContext("/loki/api/v1/query", exchange -> {
            String raw = exchange.getRequestURI().getRawQuery();
            if (raw == null || !raw.startsWith("query=")) {
                respond(exchange, 400, "{\"status\":\"error\",\"error\":\"query must not be empty\"}");
                return;
            }
            queries.add(URLDecoder.decode(raw.substring("query=".length()), StandardCharsets.UTF_8));
            String result = answer == null ? "[]" : "[{\"metric\":{},\"value\":[1732700000.123,\"" + answer + "\"]}]";
            respond(
                    exchange,
                    200,
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":" + result + "}}");
        });
        loki.start();
        return URI.create("http://127.0.0.1:" + loki.getAddress().getPort());
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @AfterEach
    void stop() {
        if (loki != null) {
            loki.stop(0);
        }
        // whatever a test sent must be LogQL that Loki accepts (the dashboards module's grammar of Loki's docs)
        queries.forEach(LogqlSyntax::check);
    }

    @Test
    void countsARunsRecordsOfOnePodFromItsStructuredMetadata() throws Exception {
        ExternalLoki store = ExternalLoki.connect(new JsonHttp(HttpClient.newHttpClient()), startFakeLoki(true));

        assertThat(store.count("demo", "demo-service-0")).isEqualTo(12);
        assertThat(queries.get(0))
                .matches("sum\\(count_over_time\\(\\{namespace=\"demo\"} \\| pod=\"demo-service-0\" \\[\\d+s]\\)\\)");

        answer = null;
        assertThat(store.count("demo", "demo-service-1"))
                .as("an empty vector is zero records")
                .isZero();
    }

    @Test
    void looksForEachFieldWhereContractSection3PutsIt() throws Exception {
        ExternalLoki store = ExternalLoki.connect(new JsonHttp(HttpClient.newHttpClient()), startFakeLoki(true));
        answer = "0";

        Map<String, Long> missing = store.recordsMissing("demo", List.of("container", "pod", "level", "@timestamp"));

        assertThat(missing)
                .containsExactly(
                        Map.entry("container", 0L),
                        Map.entry("pod", 0L),
                        Map.entry("level", 0L),
                        Map.entry("@timestamp", 0L));
        assertThat(queries.get(0)).contains("{namespace=\"demo\", container=\"\"}");
        assertThat(queries.get(1)).contains("{namespace=\"demo\"} | pod=\"\"");
        assertThat(queries.get(2)).contains("{namespace=\"demo\"} | level=\"\"");
        assertThat(queries.get(3)).contains("| json sightline_field=\"[\\\"@timestamp\\\"]\" | sightline_field=\"\"");
    }

    @Test
    void tellsTheUserWhenLokiIsNotReady() throws Exception {
        URI url = startFakeLoki(false);

        assertThatThrownBy(() -> ExternalLoki.connect(new JsonHttp(HttpClient.newHttpClient()), url))
                .hasMessageContaining("not ready")
                .hasMessageContaining("--loki-url");
    }

    @Test
    void sidecarsAreToldToShipToLoki() throws Exception {
        URI url = startFakeLoki(true);
        ExternalLoki store = ExternalLoki.connect(new JsonHttp(HttpClient.newHttpClient()), url);

        assertThat(store.sidecarEnvironment())
                .containsEntry("SIGHTLINE_SINK", "loki")
                .containsEntry("LOKI_URL", url.toString());
    }
}
