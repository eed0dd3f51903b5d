package io.sightline.sidecar.ship.opensearch;

import io.sightline.sidecar.config.Settings;
import io.sightline.sidecar.ship.http.HttpSettings;

/**
 * The OpenSearch (or Elasticsearch) sink's settings: connection ({@code OPENSEARCH_URL}, auth, CA,
 * timeout; see {@link HttpSettings}) and {@code OPENSEARCH_INDEX}, the index name pattern.
 */
public record OpenSearchSettings(HttpSettings http, String indexPattern) {

    public static final String DEFAULT_URL = "http://opensearch:9200";
    public static final String DEFAULT_INDEX = "logs-{yyyy.MM.dd}";

    public static OpenSearchSettings from(Settings settings) {
        HttpSettings http = HttpSettings.from(settings, "OPENSEARCH", DEFAULT_URL);
        String index = settings.get("OPENSEARCH_INDEX", DEFAULT_INDEX).strip();
        IndexPattern.parse("OPENSEARCH_INDEX", index);
        return new OpenSearchSettings(http, index);
    }
}
