package io.sightline.sidecar.ship.loki;

import java.util.Locale;

import io.sightline.sidecar.config.Settings;
import io.sightline.sidecar.config.SettingsTable;
import io.sightline.sidecar.ship.http.HttpSettings;

/**
 * The Loki sink's settings: connection ({@code LOKI_URL}, auth, CA, timeout; see {@link HttpSettings}),
 * {@code LOKI_FORMAT} ({@code protobuf} | {@code json}), {@code LOKI_TENANT_ID} (sent as
 * {@code X-Scope-OrgID}) and the {@code service_name} label for records that carry none
 * ({@code SERVICE_NAME}, else {@code unknown}).
 */
public record LokiSettings(HttpSettings http, Format format, String tenantId, String defaultServiceName) {

    public enum Format {
        PROTOBUF,
        JSON
    }

    public static LokiSettings from(Settings settings) {
        return new LokiSettings(
                HttpSettings.from(settings, SettingsTable.LOKI_HTTP),
                Format.valueOf(SettingsTable.LOKI_FORMAT.value(settings).toUpperCase(Locale.ROOT)),
                SettingsTable.LOKI_TENANT_ID.find(settings).orElse(null),
                SettingsTable.SERVICE_NAME.value(settings));
    }
}
