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
 *   <li>{@code sightline.io/logs.<container>: exclude}: that container only.
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

    /** The containers the annotations exclude one by one (keys {@code sightline.io/logs.<container>}). */
    static Set<String> excludedContainers(Map<String, String> annotations) {
        Set<String> containers = new HashSet<>();
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
