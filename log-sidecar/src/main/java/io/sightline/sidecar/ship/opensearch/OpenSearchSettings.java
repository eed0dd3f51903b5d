package io.sightline.sidecar.ship.opensearch;

import io.sightline.sidecar.config.Settings;
import io.sightline.sidecar.config.SettingsTable;
import io.sightline.sidecar.ship.http.HttpSettings;

/**
 * The OpenSearch (or Elasticsearch) sink's settings: connection ({@code OPENSEARCH_URL}, auth, CA,
 * timeout; see {@link HttpSettings}), {@code OPENSEARCH_INDEX}, the index name pattern, and whether
 * to install the index template ({@code OPENSEARCH_INDEX_TEMPLATE}, see {@link IndexTemplate}).
 */
public record OpenSearchSettings(HttpSettings http, String indexPattern, boolean installTemplate) {

    public static OpenSearchSettings from(Settings settings) {
        HttpSettings http = HttpSettings.from(settings, SettingsTable.OPENSEARCH_HTTP);
        String index = SettingsTable.OPENSEARCH_INDEX.value(settings);
        IndexPattern.parse(SettingsTable.OPENSEARCH_INDEX.name(), index);
        return new OpenSearchSettings(http, index, SettingsTable.OPENSEARCH_INDEX_TEMPLATE.value(settings));
    }
}
