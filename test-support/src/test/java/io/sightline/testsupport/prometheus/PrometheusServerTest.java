package io.sightline.testsupport.prometheus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A real Prometheus started with a test's configuration, and every call of {@link PrometheusApi} against it. */
class PrometheusServerTest {

    @TempDir
    static Path dir;

    static PrometheusServer prometheus;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(dir.resolve("heartbeat.yaml"), """
                groups:
                  - name: heartbeat
                    rules:
                      - alert: Heartbeat
                        expr: vector(1)
                      - record: job:one
                        expr: vector(1)
                """);
        prometheus = PrometheusServer.start(dir, """
                global:
                  scrape_interval: 1h
                  evaluation_interval: 1s
                rule_files: [%s]
                scrape_configs:
                  - job_name: nobody
                    static_configs:
                      - targets: ["127.0.0.1:9"]
                        labels: {team: a}
                """.formatted(dir.resolve("heartbeat.yaml")));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void isReadyOnLoopbackWithItsApi() {
        assertThat(prometheus.url().getHost()).isEqualTo("127.0.0.1");
        assertThat(prometheus.api().baseUrl()).isEqualTo(prometheus.url());
        assertThat(prometheus.api().ready()).isTrue();
    }

    @Test
    void evaluatesInstantVectorsAndScalars() throws IOException {
        PrometheusApi.QueryResult vector =
                prometheus.api().evaluate("label_replace(vector(2), \"a\", \"b\", \"\", \"\")");
        assertThat(vector.succeeded()).isTrue();
        assertThat(vector.resultType()).isEqualTo("vector");
        assertThat(vector.samples()).containsExactly(new PrometheusApi.Sample(Map.of("a", "b"), 2));

        assertThat(prometheus.api().query("scalar(vector(3))")).containsExactly(new PrometheusApi.Sample(Map.of(), 3));
        assertThat(prometheus.api().query("absent_metric_xyz")).isEmpty();
    }

    @Test
    void aRefusedExpressionIsAnErrorResultOrAnException() {
        PrometheusApi.QueryResult result;
        try {
            result = prometheus.api().evaluate("sum(rate(x[1m])");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(result.succeeded()).isFalse();
        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(result.errorType()).isEqualTo("bad_data");
        assertThat(result.error()).isNotBlank();
        assertThat(result.resultCount()).isZero();

        assertThatThrownBy(() -> prometheus.api().query("sum(rate(x[1m])"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("sum(rate(x[1m])")
                .hasMessageContaining(result.error());
    }

    @Test
    void listsActiveTargetsWithPoolUrlAndLabels() {
        // discovery hands the targets to the scrape manager shortly after start, not before /-/ready
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        prometheus.api().activeTargets())
                .singleElement()
                .satisfies(target -> {
                    assertThat(target.scrapePool()).isEqualTo("nobody");
                    assertThat(target.scrapeUrl()).isEqualTo("http://127.0.0.1:9/metrics");
                    assertThat(target.labels()).containsEntry("team", "a").containsEntry("job", "nobody");
                    assertThat(target.health()).isIn("unknown", "down");
                }));
    }

    @Test
    void listsLoadedRulesWithTheirHealth() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(prometheus.api().rules())
                        .extracting(PrometheusApi.Rule::name, PrometheusApi.Rule::type, PrometheusApi.Rule::health)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple("Heartbeat", "alerting", "ok"),
                                org.assertj.core.groups.Tuple.tuple("job:one", "recording", "ok")));
    }
}
