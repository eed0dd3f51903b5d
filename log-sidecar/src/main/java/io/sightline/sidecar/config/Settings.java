package io.sightline.sidecar.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The sidecar's configuration as key/value pairs. Keys are environment-variable names
 * ({@code LOKI_URL}); an environment variable overrides the same key in the optional YAML file.
 * Every typed getter throws {@link ConfigException} naming the key and the allowed values
 * when a value cannot be used, so start-up stops with a message the user can act on.
 */
public interface Settings {

    Optional<String> get(String key);

    default String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    int getInt(String key, int defaultValue, int min, int max);

    /** Sizes such as {@code 1MiB}, {@code 256KiB}, {@code 512} (bytes). */
    long getBytes(String key, long defaultValue);

    /** Durations such as {@code 500ms}, {@code 10s}, {@code 2m}. */
    Duration getDuration(String key, Duration defaultValue);

    boolean getBoolean(String key, boolean defaultValue);

    /** One of {@code allowed} (case-insensitive); anything else is a {@link ConfigException}. */
    String getChoice(String key, String defaultValue, String... allowed);
}
