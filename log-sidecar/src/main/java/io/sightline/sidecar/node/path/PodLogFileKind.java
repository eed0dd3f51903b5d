package io.sightline.sidecar.node.path;

/**
 * The files the kubelet keeps in a container's log directory (its container log manager): the live
 * file the runtime writes, the renamed rotations, the older rotations it compressed, and the
 * temporary file it writes a compression into before renaming it to {@code .gz}.
 */
public enum PodLogFileKind {
    /** {@code <restart>.log}: written by the container runtime now. */
    LIVE,
    /** {@code <restart>.log.<yyyyMMdd-HHmmss>}: renamed away by the kubelet; complete once the runtime reopened. */
    ROTATED,
    /** {@code <restart>.log.<yyyyMMdd-HHmmss>.gz}: an older rotation, gzip-compressed by the kubelet. */
    COMPRESSED,
    /** {@code <restart>.log.<yyyyMMdd-HHmmss>.tmp}: a compression in progress (or left by a failed one); never read. */
    TEMPORARY;

    /** Whether the file holds log lines the agent should read ({@link #TEMPORARY} never does). */
    public boolean readable() {
        return this != TEMPORARY;
    }
}
