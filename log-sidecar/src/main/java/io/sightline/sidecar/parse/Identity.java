package io.sightline.sidecar.parse;

import java.util.Objects;

/**
 * Where the sidecar runs, from the Downward API environment (contract section 1):
 * {@code POD_NAMESPACE}, {@code POD_NAME}, {@code NODE_NAME}, {@code CONTAINER_NAME},
 * {@code CLUSTER_NAME}. Unknown values are {@code null}; {@code cluster} is optional.
 */
public record Identity(String namespace, String pod, String node, String container, String cluster) {

    // written out: a record's generated equals and hashCode are bootstrapped at their first call (~0.05 s of
    // method-handle spinning when the Loki sink groups its first batch, docs/benchmarks.md)
    @Override
    public boolean equals(Object other) {
        return other instanceof Identity that
                && Objects.equals(namespace, that.namespace)
                && Objects.equals(pod, that.pod)
                && Objects.equals(node, that.node)
                && Objects.equals(container, that.container)
                && Objects.equals(cluster, that.cluster);
    }

    @Override
    public int hashCode() {
        // not Objects.hash: no varargs array per call (the Loki sink hashes one per record)
        int hash = Objects.hashCode(namespace);
        hash = 31 * hash + Objects.hashCode(pod);
        hash = 31 * hash + Objects.hashCode(node);
        hash = 31 * hash + Objects.hashCode(container);
        return 31 * hash + Objects.hashCode(cluster);
    }
}
