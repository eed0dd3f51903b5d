package io.sightline.sidecar.node.meta;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pod annotations that keep the node agent away from a pod's logs (contract section 1), for a pod
 * whose logs are shipped another way (a log-sidecar) or must not leave the node:
 *
 * <ul>
 *   <li>{@code sightline.io/logs: exclude} on the pod: none of its containers;
 *   <li>{@code sightline.io/logs.<container>: exclude}: that container only;
 *   <li>a pod the log-sidecar component ships (label {@code sightline.io/log-sidecar: "true"}): the application
 *       container its annotation {@code sightline.io/app-container} names, whose files the sidecar ships (the
 *       component requires that annotation, so a pod with a sidecar is never shipped twice).
 * </ul>
 *
 * An annotation key's name part (after the {@code /}) may hold at most 63 characters of
 * {@code [-._a-zA-Z0-9]}, starting and ending alphanumeric. Container names are DNS labels, so
 * {@code logs.<container>} is always a valid name, except for container names longer than 58
 * characters, which have no per-container key (annotate the pod instead). The value is compared
 * without regard to case and surrounding blanks; any other value excludes nothing.
 */
public final class LogAnnotations {

    public static final String POD_KEY = "sightline.io/logs";
    public static final String EXCLUDE = "exclude";
    public static final String SIDECAR_LABEL = "sightline.io/log-sidecar";
    public static final String APP_CONTAINER_KEY = "sightline.io/app-container";

    private static final String CONTAINER_KEY_PREFIX = POD_KEY + ".";
    private static final int MAX_NAME = 63;
    private static final int NAME_START = "sightline.io/".length();

    private LogAnnotations() {}

    /** The per-container key, or empty when the container's name is too long for an annotation key. */
    public static Optional<String> containerKey(String container) {
        String key = CONTAINER_KEY_PREFIX + container;
        return key.length() - NAME_START <= MAX_NAME ? Optional.of(key) : Optional.empty();
    }

    static boolean podExcluded(Map<String, String> annotations) {
        return isExclude(annotations.get(POD_KEY));
    }

    /**
     * The containers excluded one by one: keys {@code sightline.io/logs.<container>}, and the application container
     * of a pod its log-sidecar ships.
     */
    static Set<String> excludedContainers(Map<String, String> labels, Map<String, String> annotations) {
        Set<String> containers = new HashSet<>();
        String appContainer = annotations.get(APP_CONTAINER_KEY);
        if ("true".equals(labels.get(SIDECAR_LABEL)) && appContainer != null && !appContainer.isBlank()) {
            containers.add(appContainer.strip());
        }
        annotations.forEach((key, value) -> {
            if (key.startsWith(CONTAINER_KEY_PREFIX)
                    && key.length() > CONTAINER_KEY_PREFIX.length()
                    && isExclude(value)) {
                containers.add(key.substring(CONTAINER_KEY_PREFIX.length()));
            }
        });
        return containers.isEmpty() ? Set.of() : Set.copyOf(containers);
    }

    private static boolean isExclude(String value) {
        return value != null && value.strip().toLowerCase(Locale.ROOT).equals(EXCLUDE);
    }
}
