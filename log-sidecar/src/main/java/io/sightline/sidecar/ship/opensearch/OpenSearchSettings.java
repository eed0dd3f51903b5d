package io.sightline.sidecar.ship.opensearch;

import io.sightline.sidecar.config.Settings;
import io.sightline.sidecar.config.SettingsTable;
import io.sightline.sidecar.ship.http.HttpSettings;

/**
 * The OpenSearch (or Elasticsearch) sink's settings: connection ({@code OPENSEARCH_URL}, auth, CA,
 * timeout; see {@link HttpSettings}) and {@code OPENSEARCH_INDEX}, the index name pattern.
 */
public record OpenSearchSettings(HttpSettings http, String indexPattern) {

    public static OpenSearchSettings from(Settings settings) {
        HttpSettings http = HttpSettings.from(settings, SettingsTable.OPENSEARCH_HTTP);
        String index = SettingsTable.OPENSEARCH_INDEX.value(settings);
        IndexPattern.parse(SettingsTable.OPENSEARCH_INDEX.name(), index);
        return new OpenSearchSettings(http, index);
    }
}
