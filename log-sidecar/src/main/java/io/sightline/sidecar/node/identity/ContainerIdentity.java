package io.sightline.sidecar.node.identity;

import io.sightline.sidecar.parse.Identity;

/**
 * Who wrote a container log file: namespace, pod, pod uid, container and restart count from its path,
 * the node from the Downward API, and {@code service_name} from the pod's labels when the API server
 * told them ({@code enriched}), else the container's name (contract section 1).
 */
public record ContainerIdentity(
        String namespace,
        String pod,
        String podUid,
        String container,
        int restartCount,
        String node,
        String serviceName,
        boolean enriched) {

    /** The sidecar's identity record for the same container, so both paths build the same streams. */
    public Identity identity(String cluster) {
        return new Identity(namespace, pod, node, container, cluster);
    }
}
