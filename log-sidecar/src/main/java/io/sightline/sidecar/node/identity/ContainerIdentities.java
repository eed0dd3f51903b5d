package io.sightline.sidecar.node.identity;

import java.util.Optional;

import io.sightline.sidecar.node.meta.PodMetadata;
import io.sightline.sidecar.node.meta.PodMetadataSource;
import io.sightline.sidecar.node.path.OwnPod;
import io.sightline.sidecar.node.path.PodLogPath;

/**
 * Decides per container log file whether the agent ships it and under which identity: never the
 * agent's own pod, never a pod or container annotated {@code exclude} (known only when the metadata
 * source knows the pod), otherwise the path's identity enriched with what the source knows. Answers
 * from memory; cheap enough to ask again each poll so that annotation changes take effect.
 */
public final class ContainerIdentities {

    /** Why a file is not shipped. */
    public enum SkipReason {
        OWN_POD,
        EXCLUDED_BY_ANNOTATION
    }

    /** Either an identity to ship under, or the reason not to ship. */
    public record Resolution(ContainerIdentity identity, SkipReason skipReason) {

        public boolean shipped() {
            return identity != null;
        }
    }

    private final String node;
    private final OwnPod ownPod;
    private final PodMetadataSource metadata;

    public ContainerIdentities(String node, OwnPod ownPod, PodMetadataSource metadata) {
        this.node = node;
        this.ownPod = ownPod;
        this.metadata = metadata;
    }

    public Resolution resolve(PodLogPath path) {
        if (ownPod.isOwn(path)) {
            return new Resolution(null, SkipReason.OWN_POD);
        }
        Optional<PodMetadata> pod = metadata.find(path.podUid());
        if (pod.isPresent() && pod.get().excludes(path.container())) {
            return new Resolution(null, SkipReason.EXCLUDED_BY_ANNOTATION);
        }
        String serviceName = pod.map(p -> p.serviceName(path.container())).orElse(path.container());
        return new Resolution(
                new ContainerIdentity(
                        path.namespace(),
                        path.pod(),
                        path.podUid(),
                        path.container(),
                        path.restartCount(),
                        node,
                        serviceName,
                        pod.isPresent()),
                null);
    }
}
