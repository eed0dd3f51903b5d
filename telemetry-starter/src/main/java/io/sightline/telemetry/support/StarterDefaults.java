package io.sightline.telemetry.support;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.StringUtils;

/**
 * The starter's defaults live in Spring Boot's lowest-precedence {@code defaultProperties}
 * source, so every value can still be overridden by the application's own configuration,
 * command line or environment.
 */
public final class StarterDefaults {

    /** Port of the management server (health, probes, info, prometheus), per the telemetry contract. */
    public static final String MANAGEMENT_PORT = "8081";

    private StarterDefaults() {}

    /**
     * Adds {@code defaults} below every other source. Keys the application already put in its
     * own {@code defaultProperties} are left alone.
     */
    public static void add(ConfigurableEnvironment environment, Map<String, Object> defaults) {
        Map<String, Object> missing = new LinkedHashMap<>(defaults);
        PropertySource<?> existing = environment.getPropertySources().get(DefaultPropertiesPropertySource.NAME);
        if (existing != null) {
            missing.keySet().removeIf(existing::containsProperty);
        }
        DefaultPropertiesPropertySource.addOrMerge(missing, environment.getPropertySources());
    }

    /**
     * The management server's own port, bound where the application is: a service bound to
     * {@code server.address} (127.0.0.1, say) keeps its actuator there too unless
     * {@code management.server.address} says otherwise (Boot would bind every interface).
     */
    public static void addManagementServer(ConfigurableEnvironment environment, Map<String, Object> defaults) {
        defaults.put("management.server.port", MANAGEMENT_PORT);
        String address = environment.getProperty("server.address");
        if (StringUtils.hasText(address) && !environment.containsProperty("management.server.address")) {
            defaults.put("management.server.address", address.trim());
        }
    }

    /** Whether the feature under {@code prefix} is on ({@code <prefix>.enabled}, default true). */
    public static boolean enabled(ConfigurableEnvironment environment, String prefix) {
        return environment.getProperty(prefix + ".enabled", Boolean.class, true);
    }
}
