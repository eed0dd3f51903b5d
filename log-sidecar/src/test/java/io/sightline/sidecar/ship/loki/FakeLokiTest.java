package io.sightline.sidecar.ship.loki;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.google.protobuf.Timestamp;
import io.sightline.sidecar.ship.loki.logproto.EntryAdapter;
import io.sightline.sidecar.ship.loki.logproto.PushRequest;
import io.sightline.sidecar.ship.loki.logproto.StreamAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules {@link FakeLoki} enforces that the sink never breaks on its own (so {@link LokiSinkTest}
 * cannot show them): pushes built with the generated classes, as any Loki client would send them.
 */
class FakeLokiTest {

    private final FakeLoki loki;
    private final HttpClient http = HttpClient.newHttpClient();

    FakeLokiTest() throws IOException {
        loki = FakeLoki.start();
    }

    @AfterEach
    void stop() {
        loki.close();
    }

    private HttpResponse<String> push(String labels, Map<String, String> headers) throws Exception {
        PushRequest request = PushRequest.newBuilder()
                .addStreams(StreamAdapter.newBuilder()
                        .setLabels(labels)
                        .addEntries(EntryAdapter.newBuilder()
                                .setTimestamp(Timestamp.newBuilder().setSeconds(1_795_000_000L))
                                .setLine("hello")))
                .build();
        HttpRequest.Builder builder = HttpRequest.newBuilder(loki.url().resolve("/loki/api/v1/push"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(request.toByteArray())));
        headers.forEach(builder::header);
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void acceptsAValidPushWith204() throws Exception {
        assertThat(push("{app=\"a\", quoted=\"say \\\"hi\\\"\"}", Map.of()).statusCode())
                .isEqualTo(204);
        assertThat(loki.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "a", "quoted", "say \"hi\""));
            assertThat(entry.line()).isEqualTo("hello");
        });
    }

    @Test
    void refusesInvalidLabelNames() throws Exception {
        HttpResponse<String> response = push("{app=\"a\", 9lives=\"x\"}", Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("invalid label name");
        assertThat(loki.entries()).isEmpty();
    }

    @Test
    void refusesMoreThan15Labels() throws Exception {
        String sixteen =
                IntStream.range(0, 16).mapToObj(i -> "l" + i + "=\"v\"").collect(Collectors.joining(", ", "{", "}"));
        HttpResponse<String> response = push(sixteen, Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("16 label names; limit 15");
    }

    @Test
    void refusesSnappyAsContentEncodingLikeLoki() throws Exception {
        HttpResponse<String> response = push("{app=\"a\"}", Map.of("Content-Encoding", "snappy"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Content-Encoding \"snappy\" not supported");
    }

    @Test
    void refusesUndecodableBodies() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(loki.url().resolve("/loki/api/v1/push"))
                        .header("Content-Type", "application/x-protobuf")
                        .POST(HttpRequest.BodyPublishers.ofString("not snappy"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
    }
}
