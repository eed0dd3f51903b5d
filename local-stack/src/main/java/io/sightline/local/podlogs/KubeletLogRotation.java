package io.sightline.local.podlogs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Rotates one container log file the way the kubelet's container log manager does: drop leftovers of an interrupted
 * compression, remove the oldest rotations so that at most {@code maxFiles - 2} remain, gzip the remaining
 * uncompressed ones (through {@code <name>.tmp}, renamed to {@code <name>.gz}, then the original removed), and
 * finally rename the live file to {@code <name>.<yyyyMMdd-HHmmss>} (local time). So the newest rotation stays plain
 * until the next rotation, and a reader that keeps up never needs the compressed ones.
 */
final class KubeletLogRotation {

    static final String TMP = ".tmp";
    static final String GZ = ".gz";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path live;
    private final int maxFiles;

    /** @param maxFiles the kubelet's {@code containerLogMaxFiles} (at least 2: the live file and one rotation) */
    KubeletLogRotation(Path live, int maxFiles) {
        if (maxFiles < 2) {
            throw new IllegalArgumentException("maxFiles must be at least 2, was " + maxFiles);
        }
        this.live = live;
        this.maxFiles = maxFiles;
    }

    /**
     * Rotates the live file (which the caller then reopens).
     *
     * @return false, with nothing changed, when a rotation with this second's stamp exists already (the kubelet
     *     checks every 10 s, so its stamps never collide; a caller rotating by size tries again later)
     */
    boolean rotate(ZonedDateTime now) throws IOException {
        Path target = live.resolveSibling(live.getFileName() + "." + STAMP.format(now));
        if (Files.exists(target) || Files.exists(Path.of(target + GZ))) {
            return false;
        }
        List<Path> rotated = removeUnused(rotatedFiles());
        int excess = rotated.size() - (maxFiles - 2);
        for (int i = 0; i < excess; i++) {
            Files.delete(rotated.get(i));
        }
        for (Path file : rotated.subList(Math.max(0, excess), rotated.size())) {
            if (!file.getFileName().toString().endsWith(GZ)) {
                compress(file);
            }
        }
        Files.move(live, target, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /** The rotations of the live file (plain, compressed and temporary), oldest first: the stamps sort by age. */
    List<Path> rotatedFiles() throws IOException {
        String prefix = live.getFileName() + ".";
        try (Stream<Path> files = Files.list(live.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix))
                    .sorted()
                    .toList();
        }
    }

    /** Removes a compression's leftovers: its {@code .tmp}, or the plain file whose {@code .gz} was finished. */
    private static List<Path> removeUnused(List<Path> rotated) throws IOException {
        List<Path> kept = new ArrayList<>();
        for (Path file : rotated) {
            String name = file.getFileName().toString();
            if (name.endsWith(TMP) || (!name.endsWith(GZ) && rotated.contains(Path.of(file + GZ)))) {
                Files.delete(file);
            } else {
                kept.add(file);
            }
        }
        return kept;
    }

    private static void compress(Path file) throws IOException {
        Path tmp = Path.of(file + TMP);
        try (InputStream in = Files.newInputStream(file);
                OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
            in.transferTo(out);
        }
        Files.move(tmp, Path.of(file + GZ), StandardCopyOption.ATOMIC_MOVE);
        Files.delete(file);
    }
}
