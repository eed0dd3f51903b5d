package io.sightline.sidecar.config;

import java.util.Optional;

/**
 * The sidecar's configuration as key/value text: environment variables over the optional YAML file.
 * Values are read and validated through the {@link Setting}s of {@link SettingsTable}, which throw
 * {@link ConfigException} naming the setting and what it accepts.
 */
@FunctionalInterface
public interface Settings {

    /** The stripped value of {@code key}, empty when it is not set or blank. */
    Optional<String> get(String key);
}
