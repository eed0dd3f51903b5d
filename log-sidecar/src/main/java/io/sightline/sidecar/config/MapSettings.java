package io.sightline.sidecar.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kib|mib|gib)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)", Pattern.CASE_INSENSITIVE);

    private final Map<String, String> values;

    public MapSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The YAML file named by {@code configFile} (if any), then the environment on top. */
    public static MapSettings load(Map<String, String> environment, Optional<Path> configFile) {
        Map<String, String> merged = new HashMap<>();
        Optional<Path> file = configFile.or(() -> Optional.ofNullable(environment.get(CONFIG_FILE))
                .filter(s -> !s.isBlank())
                .map(Path::of));
        file.ifPresent(path -> merged.putAll(readYaml(path)));
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
            result.put(String.valueOf(entry.getKey()), value == null ? "" : String.valueOf(value));
        }
        return result;
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).map(String::strip).filter(s -> !s.isEmpty());
    }

    @Override
    public int getInt(String key, int defaultValue, int min, int max) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String allowed = "an integer from " + min + " to " + max;
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw ConfigException.invalid(key, raw.get(), allowed);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(key, raw.get(), allowed);
        }
    }

    @Override
    public long getBytes(String key, long defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Matcher m = SIZE.matcher(raw.get());
        if (!m.matches()) {
            throw ConfigException.invalid(key, raw.get(), "a size such as 512, 256KiB, 1MiB or 1GiB");
        }
        try {
            long number = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
            long factor =
                    switch (unit) {
                        case "kib" -> 1L << 10;
                        case "mib" -> 1L << 20;
                        case "gib" -> 1L << 30;
                        default -> 1L;
                    };
            return Math.multiplyExact(number, factor);
        } catch (ArithmeticException | NumberFormatException e) {
            throw ConfigException.invalid(key, raw.get(), "a size below 8 EiB such as 1MiB");
        }
    }

    @Override
    public Duration getDuration(String key, Duration defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(raw.get());
        if (!m.matches()) {
            throw ConfigException.invalid(key, raw.get(), "a duration such as 500ms, 10s, 2m or 1h");
        }
        long number;
        try {
            number = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(key, raw.get(), "a duration below 292 years such as 10s");
        }
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ms" -> Duration.ofMillis(number);
            case "s" -> Duration.ofSeconds(number);
            case "m" -> Duration.ofMinutes(number);
            default -> Duration.ofHours(number);
        };
    }

    @Override
    public boolean getBoolean(String key, boolean defaultValue) {
        return Boolean.parseBoolean(getChoice(key, Boolean.toString(defaultValue), "true", "false"));
    }

    @Override
    public String getChoice(String key, String defaultValue, String... allowed) {
        String value = get(key).orElse(defaultValue);
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(value)) {
                return candidate;
            }
        }
        throw ConfigException.invalid(key, value, "one of " + String.join(", ", allowed));
    }
}
