package io.sightline.local.kubelet;

import java.util.Objects;

/**
 * A process the launcher started, as the Kubernetes container it stands for: what a kubelet on this node would
 * report it as (contract section 4: cAdvisor's {@code namespace}, {@code pod}, {@code container}).
 *
 * @param pid the process, whose {@code /proc} entry the kubelet stand-in reads
 */
public record PodContainer(String namespace, String pod, String container, long pid) {

    public PodContainer {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(container, "container");
    }
}
