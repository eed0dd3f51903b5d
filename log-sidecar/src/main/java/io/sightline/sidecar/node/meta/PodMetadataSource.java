package io.sightline.sidecar.node.meta;

import java.util.Optional;

/**
 * Pod metadata by the uid in a log directory's name. Implementations must answer from memory, fast and
 * without blocking (the readers ask per file), and keep answering when the API server is away.
 */
public interface PodMetadataSource extends AutoCloseable {

    /** Enrichment switched off: identity from the path alone. */
    PodMetadataSource NONE = new PodMetadataSource() {
        @Override
        public Optional<PodMetadata> find(String logUid) {
            return Optional.empty();
        }

        @Override
        public boolean ready() {
            return false;
        }

        @Override
        public void close() {}
    };

    Optional<PodMetadata> find(String logUid);

    /**
     * Whether the source has listed this node's pods and is watching: then a pod it does not know is most
     * likely too new to have arrived yet (worth a short wait before its first lines go out with the
     * path-only identity), not a pod that does not exist.
     */
    boolean ready();

    @Override
    void close();
}
