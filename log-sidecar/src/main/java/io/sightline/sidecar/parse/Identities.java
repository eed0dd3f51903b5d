package io.sightline.sidecar.parse;

import java.util.Map;

/** Reads the {@link Identity} from the Downward API environment variables named in contract section 1. */
public final class Identities {

    private Identities() {}

    public static Identity fromEnvironment(Map<String, String> env) {
        return new Identity(
                value(env, "POD_NAMESPACE"),
                value(env, "POD_NAME"),
                value(env, "NODE_NAME"),
                value(env, "CONTAINER_NAME"),
                value(env, "CLUSTER_NAME"));
    }

    private static String value(Map<String, String> env, String key) {
        String value = env.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
