package io.sightline.sidecar.ship;

import java.io.IOException;
import java.util.Map;

import io.sightline.sidecar.config.Settings;
import io.sightline.sidecar.config.SettingsTable;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.ship.http.DestinationCheck;
import io.sightline.sidecar.ship.loki.LokiSettings;
import io.sightline.sidecar.ship.loki.LokiSink;
import io.sightline.sidecar.ship.loki.PushFormats;
import io.sightline.sidecar.ship.opensearch.OpenSearchSettings;
import io.sightline.sidecar.ship.opensearch.OpenSearchSink;

/** The sink named by {@code SIGHTLINE_SINK}, built from its own settings (validated here, at start-up). */
public final class SinkFactory {

    /** Loki's readiness: 200 {@code ready}, 503 while an ingester is not ready. */
    static final String LOKI_READY_PATH = "/ready";

    /** OpenSearch's (and Elasticsearch's) cluster health: read-only, answered by any node. */
    static final String OPENSEARCH_HEALTH_PATH = "/_cluster/health";

    private SinkFactory() {}

    public static Sink create(String name, Settings settings, Identity identity, Diagnostics diagnostics)
            throws IOException {
        return switch (name) {
            case "loki" -> {
                LokiSettings loki = PushFormats.usable(LokiSettings.from(settings), diagnostics);
                yield new LokiSink(
                        loki,
                        identity,
                        DestinationCheck.of(
                                settings,
                                SettingsTable.LOKI_HTTP,
                                loki.http(),
                                LOKI_READY_PATH,
                                LokiSink.headers(loki),
                                diagnostics));
            }
            case "opensearch" -> {
                OpenSearchSettings openSearch = OpenSearchSettings.from(settings);
                yield new OpenSearchSink(
                        openSearch,
                        identity,
                        diagnostics,
                        DestinationCheck.of(
                                settings,
                                SettingsTable.OPENSEARCH_HTTP,
                                openSearch.http(),
                                OPENSEARCH_HEALTH_PATH,
                                Map.of(),
                                diagnostics));
            }
            case "stdout" -> new StdoutSink(identity);
            default -> throw new IllegalArgumentException("unknown sink " + name + " (SidecarConfig validates it)");
        };
    }
}
