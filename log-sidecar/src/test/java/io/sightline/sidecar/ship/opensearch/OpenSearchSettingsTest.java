package io.sightline.sidecar.ship.opensearch;

import java.util.Map;

import io.sightline.sidecar.config.ConfigException;
import io.sightline.sidecar.config.MapSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenSearchSettingsTest {

    @Test
    void defaults() {
        OpenSearchSettings settings = OpenSearchSettings.from(new MapSettings(Map.of()));
        assertThat(settings.http().baseUrl()).hasToString("http://opensearch:9200");
        assertThat(settings.indexPattern()).isEqualTo("logs-{yyyy.MM.dd}");
    }

    @Test
    void indexPatternIsFormattedInUtc() {
        IndexPattern pattern = IndexPattern.parse("OPENSEARCH_INDEX", "app-{yyyy.MM}-logs");
        assertThat(pattern.nameFor(0)).isEqualTo("app-1970.01-logs");
        assertThat(IndexPattern.parse("OPENSEARCH_INDEX", "fixed").nameFor(0)).isEqualTo("fixed");
    }

    @Test
    void invalidIndexPatternsNameTheSetting() {
        for (String bad : new String[] {
            "Logs-{yyyy}",
            "logs-{yyyy}-{MM}",
            "logs-{nope}",
            "_logs",
            "logs {yyyy}",
            "logs-{yyyy",
            "logs-}",
            "logs-{yyyy}}"
        }) {
            assertThatThrownBy(() -> OpenSearchSettings.from(new MapSettings(Map.of("OPENSEARCH_INDEX", bad))))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("OPENSEARCH_INDEX");
        }
    }

    @Test
    void connectionSettingsUseTheOpenSearchPrefix() {
        assertThatThrownBy(() -> OpenSearchSettings.from(new MapSettings(Map.of("OPENSEARCH_URL", "opensearch:9200"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("OPENSEARCH_URL");
        assertThatThrownBy(() ->
                        OpenSearchSettings.from(new MapSettings(Map.of("OPENSEARCH_PASSWORD_FILE", "/nonexistent"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("OPENSEARCH_PASSWORD_FILE");
    }
}
