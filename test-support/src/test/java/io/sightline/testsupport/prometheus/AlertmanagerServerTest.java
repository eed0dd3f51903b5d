package io.sightline.testsupport.prometheus;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A real Alertmanager started with a test's configuration. */
class AlertmanagerServerTest {

    @TempDir
    Path dir;

    @Test
    void startsWithItsConfigurationAndAnswersItsApi() throws Exception {
        Path config = Files.writeString(dir.resolve("alertmanager.yml"), """
                route:
                  receiver: nobody
                receivers:
                  - name: nobody
                """);
        try (AlertmanagerServer alertmanager = AlertmanagerServer.start(dir, config)) {
            HttpResponse<String> status = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(alertmanager.url().resolve("/api/v2/status"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("receiver: nobody");
        }
    }
}
