package io.sightline.sidecar.source;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.sightline.sidecar.parse.Identity;

/**
 * Who wrote the files the source finds, and so whether and how they are read. The sidecar reads every matching
 * file as its own container's plain lines ({@link #OWN}); the node agent reads each container's log file as that
 * container's CRI or json-file output, and skips some (its own pod, containers annotated to be excluded).
 */
@FunctionalInterface
public interface FileOrigins {

    /**
     * The writer of a file.
     *
     * @param container the container whose output the file is (CRI or json-file lines), or null: the sidecar's
     *     own container, plain lines
     * @param serviceName the service name of its records that name none themselves (with a container)
     */
    record Origin(Identity container, String serviceName) {

        static final Origin SIDECAR = new Origin(null, null);

        boolean isContainerLog() {
            return container != null;
        }
    }

    /** Every file is the sidecar's own. */
    FileOrigins OWN = file -> Optional.of(Origin.SIDECAR);

    /**
     * The writer of {@code file} (its live name, or a rotated name next to it), or empty when it is not to be read
     * now. Asked for every new file, from memory (no I/O on the API server's behalf).
     */
    Optional<Origin> of(Path file);

    /**
     * Compressed files next to {@code file} that may hold its content after it was rotated and compressed while
     * nothing read it, by the writer's naming; their content is still to be checked against the file's
     * fingerprint. None for the sidecar's own files.
     */
    default List<Path> compressedRotationsOf(Path file) {
        return List.of();
    }

    /**
     * Compressed files of the writer of {@code generation} (a name a generation of its file had) holding generations
     * written after it, oldest first: rotations that may have been made and compressed while nothing read. Their
     * content is still to be checked against the checkpoint. None for the sidecar's own files.
     */
    default List<Path> compressedRotationsAfter(Path generation) {
        return List.of();
    }

    /**
     * Every compressed file of {@code file}'s writer (all its restarts), oldest first: what a writer the checkpoint
     * never knew rotated and compressed while nothing read. None for the sidecar's own files.
     */
    default List<Path> compressedRotationsOfWriter(Path file) {
        return List.of();
    }

    /** The name a compressed file had before it was compressed (the inverse of {@link #compressedRotationsOf}). */
    default Path uncompressedName(Path compressed) {
        return compressed;
    }

    /** Orders names of one writer's files by the age of their content, oldest first. */
    default Comparator<Path> byAge() {
        return Comparator.naturalOrder();
    }
}
