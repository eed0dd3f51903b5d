package io.sightline.sidecar.node.frame;

/** How a container runtime frames lines in the files under {@code /var/log/pods}. */
public enum ContainerLogFormat {
    /** {@code <RFC 3339 time> <stdout|stderr> <P|F>[:tags] <message>}: containerd, CRI-O. */
    CRI,
    /** {@code {"log":"<message>\n","stream":"stdout","time":"<RFC 3339>"}}: Docker's json-file driver (cri-dockerd). */
    DOCKER_JSON
}
