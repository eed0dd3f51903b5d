package io.sightline.sidecar.node;

import java.nio.file.Path;

import io.sightline.sidecar.node.meta.PodMetadataSource;
import io.sightline.sidecar.parse.Identity;

/** The node agent's files without an API server, for tests outside this package. */
public final class ContainerLogFilesForTests {

    private ContainerLogFilesForTests() {}

    public static ContainerLogFiles withoutMetadata(Path podsDir, String node) {
        return new ContainerLogFiles(
                podsDir, new Identity("sightline-node", "agent", node, "agent", null), PodMetadataSource.NONE);
    }
}
