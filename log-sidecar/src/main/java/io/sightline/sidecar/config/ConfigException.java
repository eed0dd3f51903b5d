package io.sightline.sidecar.config;

/** A setting that cannot be used; the message names the setting and what it accepts. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public static ConfigException invalid(String key, String value, String allowed) {
        return new ConfigException("invalid value '" + value + "' for " + key + ": expected " + allowed);
    }
}
