package io.sightline.sidecar.ship.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.sightline.sidecar.config.ConfigException;
import io.sightline.sidecar.config.MapSettings;
import io.sightline.sidecar.config.SettingsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpSettingsTest {

    @TempDir
    Path dir;

    private static HttpSettings from(Map<String, String> values) {
        return HttpSettings.from(new MapSettings(values), SettingsTable.LOKI_HTTP);
    }

    @Test
    void defaultsWork() {
        HttpSettings settings = from(Map.of());
        assertThat(settings.baseUrl()).hasToString("http://loki:3100");
        assertThat(settings.auth()).isEqualTo(HttpAuth.NONE);
        assertThat(settings.tls()).isNull();
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void apiPathKeepsTheBaseUrlsPathPrefix() {
        assertThat(from(Map.of("LOKI_URL", "https://gw.example/loki/")).resolve("/loki/api/v1/push"))
                .hasToString("https://gw.example/loki/loki/api/v1/push");
    }

    @Test
    void badUrlNamesTheSetting() {
        for (String bad :
                new String[] {"loki:3100", "ftp://loki", "http://", "http://loki:3100/?x=1", "http://lo ki"}) {
            assertThatThrownBy(() -> from(Map.of("LOKI_URL", bad)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("LOKI_URL")
                    .hasMessageContaining("http://");
        }
    }

    @Test
    void unreadableSecretFileNamesTheSetting() {
        assertThatThrownBy(() -> from(
                        Map.of("LOKI_BEARER_TOKEN_FILE", dir.resolve("missing").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LOKI_BEARER_TOKEN_FILE");
        assertThatThrownBy(() -> from(Map.of("LOKI_USERNAME", "u", "LOKI_PASSWORD_FILE", dir.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LOKI_PASSWORD_FILE");
    }

    @Test
    void basicAuthNeedsBothPartsAndExcludesBearer() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "s3cret\n");
        assertThatThrownBy(() -> from(Map.of("LOKI_USERNAME", "u")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LOKI_PASSWORD_FILE");
        assertThatThrownBy(() -> from(Map.of(
                        "LOKI_USERNAME",
                        "u",
                        "LOKI_PASSWORD_FILE",
                        secret.toString(),
                        "LOKI_BEARER_TOKEN_FILE",
                        secret.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LOKI_BEARER_TOKEN_FILE");
        HttpSettings basic = from(Map.of("LOKI_USERNAME", "u", "LOKI_PASSWORD_FILE", secret.toString()));
        // "u:s3cret" without the file's trailing newline
        assertThat(basic.auth().authorizationHeader()).isEqualTo("Basic dTpzM2NyZXQ=");
    }

    @Test
    void caFileNeedsHttpsAndACertificate() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        assertThatThrownBy(() -> from(Map.of("LOKI_CA_FILE", notPem.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LOKI_CA_FILE")
                .hasMessageContaining("https");
        assertThatThrownBy(() -> from(Map.of("LOKI_URL", "https://loki:3100", "LOKI_CA_FILE", notPem.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LOKI_CA_FILE")
                .hasMessageContaining(notPem.toString());
    }

    @Test
    void timeoutMustBePositive() {
        assertThatThrownBy(() -> from(Map.of("LOKI_TIMEOUT", "0s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LOKI_TIMEOUT");
    }
}
