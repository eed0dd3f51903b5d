package io.sightline.local.kubelet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A volume's file system as the kubelet measures a PersistentVolume's (statfs): capacity, the bytes available to
 * unprivileged users, the bytes used (all blocks but the free ones), and the inodes. Java's {@link FileStore} gives
 * the bytes, coreutils' {@code stat -f} the inodes; where either cannot be read the volume is left out, as the
 * kubelet leaves out one whose statfs fails.
 *
 * @param usedBytes capacity minus the free blocks (reserved blocks count as used, as statfs-based volume metrics do)
 */
public record VolumeStats(long capacityBytes, long availableBytes, long usedBytes, long inodes, long inodesFree) {

    private static final long STAT_TIMEOUT_SECONDS = 5;

    /** The stats of the file system holding {@code dir}, or empty when it cannot be read (gone, no stat). */
    public static Optional<VolumeStats> of(Path dir) {
        try {
            FileStore store = Files.getFileStore(dir);
            long[] inodes = inodes(dir);
            if (inodes.length < 2) {
                return Optional.empty();
            }
            long capacity = store.getTotalSpace();
            return Optional.of(new VolumeStats(
                    capacity, store.getUsableSpace(), capacity - store.getUnallocatedSpace(), inodes[0], inodes[1]));
        } catch (IOException | RuntimeException e) {
            // gone, or no stat: left out
            return Optional.empty();
        }
    }

    /** {total, free} inodes of the file system holding {@code dir}, or an empty array. */
    private static long[] inodes(Path dir) throws IOException {
        Process stat = new ProcessBuilder("stat", "-f", "--format=%c %d", dir.toString())
                .redirectErrorStream(true)
                .start();
        stat.getOutputStream().close();
        String output = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!stat.waitFor(STAT_TIMEOUT_SECONDS, TimeUnit.SECONDS) || stat.exitValue() != 0) {
                stat.destroyForcibly();
                return new long[0];
            }
        } catch (InterruptedException e) {
            stat.destroyForcibly();
            Thread.currentThread().interrupt();
            return new long[0];
        }
        String[] fields = output.split("\\s+");
        if (fields.length != 2 || !fields[0].matches("\\d{1,18}") || !fields[1].matches("\\d{1,18}")) {
            return new long[0];
        }
        return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
    }
}
