package io.sightline.sidecar.ship.loki;

import java.util.Locale;

import io.sightline.sidecar.config.Settings;
import io.sightline.sidecar.ship.http.HttpSettings;

/**
 * The Loki sink's settings: connection ({@code LOKI_URL}, auth, CA, timeout; see {@link HttpSettings}),
 * {@code LOKI_FORMAT} ({@code protobuf} | {@code json}), {@code LOKI_TENANT_ID} (sent as
 * {@code X-Scope-OrgID}) and the {@code service_name} label for records that carry none
 * ({@code SERVICE_NAME}, else {@code unknown}).
 */
public record LokiSettings(HttpSettings http, Format format, String tenantId, String defaultServiceName) {

    public static final String DEFAULT_URL = "http://loki:3100";

    public enum Format {
        PROTOBUF,
        JSON
    }

    public static LokiSettings from(Settings settings) {
        HttpSettings http = HttpSettings.from(settings, "LOKI", DEFAULT_URL);
        Format format = Format.valueOf(settings.getChoice("LOKI_FORMAT", "protobuf", "protobuf", "json")
                .toUpperCase(Locale.ROOT));
        String tenantId = settings.get("LOKI_TENANT_ID")
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElse(null);
        String serviceName = settings.get("SERVICE_NAME")
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElse("unknown");
        return new LokiSettings(http, format, tenantId, serviceName);
    }
}
