package io.sightline.local.podlogs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A container as the kubelet names its log directory: {@code <root>/<namespace>_<pod>_<uid>/<container>/}.
 *
 * @param uid the pod's uid (a UUID)
 */
public record ContainerRef(String namespace, String pod, String uid, String container) {

    /**
     * A container of a pod that exists only in the local stack: its uid is derived from the names, so a rerun of
     * the stack names the same directory.
     */
    public static ContainerRef of(String namespace, String pod, String container) {
        String uid = UUID.nameUUIDFromBytes((namespace + "/" + pod).getBytes(StandardCharsets.UTF_8))
                .toString();
        return new ContainerRef(namespace, pod, uid, container);
    }

    /** The directory holding this container's {@code <restart>.log} files under {@code root}. */
    public Path dir(Path root) {
        return root.resolve(namespace + "_" + pod + "_" + uid).resolve(container);
    }
}
