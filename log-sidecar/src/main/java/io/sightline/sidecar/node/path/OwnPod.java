package io.sightline.sidecar.node.path;

import io.sightline.sidecar.parse.Identity;

/**
 * The agent's own pod (Downward API {@code POD_NAMESPACE} and {@code POD_NAME}): its log files are
 * never read, or every line the agent logs about shipping would be shipped and logged again. When
 * either name is unknown nothing matches (the agent cannot tell which pod is its own).
 */
public record OwnPod(String namespace, String pod) {

    public static OwnPod of(Identity identity) {
        return new OwnPod(identity.namespace(), identity.pod());
    }

    public boolean isOwn(PodLogPath path) {
        return namespace != null && pod != null && namespace.equals(path.namespace()) && pod.equals(path.pod());
    }
}
