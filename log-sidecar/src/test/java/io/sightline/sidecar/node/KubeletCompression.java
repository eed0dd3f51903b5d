package io.sightline.sidecar.node;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;

/** What the kubelet does to an older rotation of a container log (pkg/kubelet/logs), for the tests. */
final class KubeletCompression {

    private KubeletCompression() {}

    /** Gzips {@code rotated} into {@code <name>.tmp}, renames that to {@code <name>.gz}, removes the plain file. */
    static Path compress(Path rotated) throws IOException {
        Path temporary = rotated.resolveSibling(rotated.getFileName() + ".tmp");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(temporary))) {
            Files.copy(rotated, out);
        }
        Path gz = rotated.resolveSibling(rotated.getFileName() + ".gz");
        Files.move(temporary, gz, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(rotated);
        return gz;
    }
}
