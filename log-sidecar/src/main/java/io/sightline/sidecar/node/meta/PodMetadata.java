package io.sightline.sidecar.node.meta;

import java.util.Map;
import java.util.Set;

/**
 * What the node agent keeps of a pod from the API server: only what names and filters its log streams,
 * so a cache of hundreds of pods stays a few kilobytes.
 *
 * @param logUid the uid in the pod's log directory name: the pod's uid, or for the mirror of a static pod
 *     the kubelet's own uid of it (annotation {@code kubernetes.io/config.mirror})
 * @param appName label {@code app.kubernetes.io/name}, else {@code app}; {@code null} when neither is set
 */
public record PodMetadata(
        String namespace,
        String name,
        String logUid,
        String appName,
        boolean podExcluded,
        Set<String> excludedContainers) {

    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final String APP_LABEL = "app";

    public PodMetadata {
        excludedContainers = Set.copyOf(excludedContainers);
    }

    /** Applies the rules (service name labels, exclusion annotations, mirror uid) to a pod's labels and annotations. */
    public static PodMetadata of(
            String namespace, String name, String uid, Map<String, String> labels, Map<String, String> annotations) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        Map<String, String> a = annotations == null ? Map.of() : annotations;
        String mirrorOf = a.get(MIRROR_ANNOTATION);
        String logUid = mirrorOf == null || mirrorOf.isBlank() ? uid : mirrorOf.strip();
        String appName = firstNonBlank(l.get(NAME_LABEL), l.get(APP_LABEL));
        return new PodMetadata(
                namespace,
                name,
                logUid,
                appName,
                LogAnnotations.podExcluded(a),
                LogAnnotations.excludedContainers(l, a));
    }

    /** {@code service_name} of a container's logs: the app label, else the container's name (contract section 1). */
    public String serviceName(String container) {
        return appName != null ? appName : container;
    }

    public boolean excludes(String container) {
        return podExcluded || excludedContainers.contains(container);
    }

    private static String firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return first.strip();
        }
        return second != null && !second.isBlank() ? second.strip() : null;
    }
}
