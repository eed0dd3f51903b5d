package io.sightline.sidecar.ship;

import java.io.IOException;

import io.sightline.sidecar.config.Settings;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.ship.loki.LokiSettings;
import io.sightline.sidecar.ship.loki.LokiSink;
import io.sightline.sidecar.ship.loki.PushFormats;
import io.sightline.sidecar.ship.opensearch.OpenSearchSettings;
import io.sightline.sidecar.ship.opensearch.OpenSearchSink;

/** The sink named by {@code SIGHTLINE_SINK}, built from its own settings (validated here, at start-up). */
public final class SinkFactory {

    private SinkFactory() {}

    public static Sink create(String name, Settings settings, Identity identity, Diagnostics diagnostics)
            throws IOException {
        return switch (name) {
            case "loki" -> new LokiSink(PushFormats.usable(LokiSettings.from(settings), diagnostics), identity);
            case "opensearch" -> new OpenSearchSink(OpenSearchSettings.from(settings), identity, diagnostics);
            case "stdout" -> new StdoutSink(identity);
            default -> throw new IllegalArgumentException("unknown sink " + name + " (SidecarConfig validates it)");
        };
    }
}
