package io.sightline.local.kubelet;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A process the launcher started, as the Kubernetes container it stands for: what a kubelet on this node would
 * report it as (contract section 4: cAdvisor's {@code namespace}, {@code pod}, {@code container}).
 *
 * @param pid the process, whose {@code /proc} entry the kubelet stand-in reads
 * @param claims the PersistentVolumeClaims the container mounts (claim name, as its StatefulSet's
 *     volumeClaimTemplate names it for this pod), each with the directory that stands for the volume
 */
public record PodContainer(String namespace, String pod, String container, long pid, Map<String, Path> claims) {

    public PodContainer {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(container, "container");
        claims = Map.copyOf(claims);
    }

    /** A container that mounts no PersistentVolumeClaim. */
    public PodContainer(String namespace, String pod, String container, long pid) {
        this(namespace, pod, container, pid, Map.of());
    }
}
