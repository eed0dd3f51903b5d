package io.sightline.sidecar.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * {@link Settings} backed by a map: the optional YAML file (a flat mapping of the same keys as the
 * environment variables) overlaid by the environment, so an operator can override one value
 * without editing the file.
 */
public final class MapSettings implements Settings {

    /** Environment variable (or {@code --config} argument) naming the optional YAML file. */
    public static final String CONFIG_FILE = "SIGHTLINE_CONFIG_FILE";

    private final Map<String, String> values;

    public MapSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The YAML file named by {@code configFile} (if any), then the environment on top. */
    public static MapSettings load(Map<String, String> environment, Optional<Path> configFile) {
        Map<String, String> merged = new HashMap<>();
        String named = environment.get(CONFIG_FILE);
        if (configFile.isPresent()) {
            merged.putAll(readYaml(configFile.get()));
        } else if (named != null && !named.isBlank()) {
            merged.putAll(readYaml(Path.of(named)));
        }
        merged.putAll(environment);
        return new MapSettings(merged);
    }

    static Map<String, String> readYaml(Path path) {
        Object document;
        try (InputStream in = Files.newInputStream(path)) {
            document = new Load(LoadSettings.builder().setLabel(path.toString()).build()).loadFromInputStream(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file " + path + " (" + CONFIG_FILE
                    + ") does not exist: mount it there or unset " + CONFIG_FILE);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + path + " (" + CONFIG_FILE + "): " + e);
        } catch (YamlEngineException e) {
            throw new ConfigException("configuration file " + path + " is not valid YAML: "
                    + e.getMessage().replace('\n', ' '));
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new ConfigException("configuration file " + path
                    + " must be a mapping of setting names to values, e.g. 'LOKI_URL: http://loki:3100'");
        }
        Map<String, String> result = new HashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> || value instanceof Iterable<?>) {
                throw new ConfigException("configuration file " + path + ": " + entry.getKey()
                        + " must be a single value (lists are comma-separated strings), see --help");
            }
            if (SettingsTable.named(String.valueOf(entry.getKey())).isEmpty()) {
                throw new ConfigException("configuration file " + path + ": unknown setting '" + entry.getKey()
                        + "' (see --help for the settings; names are spelled like the environment variables)");
            }
            result.put(String.valueOf(entry.getKey()), value == null ? "" : String.valueOf(value));
        }
        return result;
    }

    @Override
    public Optional<String> get(String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.strip());
    }
}
