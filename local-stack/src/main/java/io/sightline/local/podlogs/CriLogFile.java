package io.sightline.local.podlogs;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZonedDateTime;

/**
 * One container's log file as containerd writes it: each piece of output as
 * {@code <RFC3339Nano time> <stdout|stderr> <P|F> <bytes>\n}, where {@code P} marks a fragment of a longer line (the
 * runtime cuts lines at {@link #MAX_FRAGMENT_BYTES}) and {@code F} a line's last part. Both streams of a process go
 * to the same file. Once the file has reached the size limit it is rotated the kubelet's way
 * ({@link KubeletLogRotation}) and reopened; unlike the kubelet, only after a line's last fragment, so that a line is
 * never split across two files (the node agent merges fragments per file).
 */
public final class CriLogFile implements Closeable {

    /** containerd's {@code max_container_log_line_size} default (CRI-O cuts at 8 KB). */
    public static final int MAX_FRAGMENT_BYTES = 16 * 1024;

    private final Path live;
    private final long rotateAtBytes;
    private final KubeletLogRotation rotation;
    private final Clock clock;

    private OutputStream out;
    private long size;
    private long lines;
    private int rotations;

    /**
     * @param dir the container's log directory (created if needed); the file is {@code 0.log} in it (restart 0)
     * @param rotateAtBytes the kubelet's {@code containerLogMaxSize}
     * @param maxFiles the kubelet's {@code containerLogMaxFiles}
     */
    public CriLogFile(Path dir, long rotateAtBytes, int maxFiles, Clock clock) throws IOException {
        this.live = Files.createDirectories(dir).resolve("0.log");
        this.rotateAtBytes = rotateAtBytes;
        this.rotation = new KubeletLogRotation(live, maxFiles);
        this.clock = clock;
        open();
    }

    /**
     * Writes one fragment of output and rotates when the file is full and {@code last}.
     *
     * @param last whether the fragment ends its line ({@code F}) or more of it follows ({@code P})
     */
    public synchronized void write(StdStream stream, byte[] bytes, int offset, int length, boolean last)
            throws IOException {
        if (length > MAX_FRAGMENT_BYTES) {
            throw new IllegalArgumentException(
                    "a fragment holds at most " + MAX_FRAGMENT_BYTES + " bytes, was " + length);
        }
        byte[] prefix = (RuntimeTime.format(clock.instant()) + " " + stream.criName() + " " + (last ? "F " : "P "))
                .getBytes(StandardCharsets.US_ASCII);
        out.write(prefix);
        out.write(bytes, offset, length);
        out.write('\n');
        // every line reaches the file at once, as the runtime's write(2) per line does: a reader never waits for it
        out.flush();
        size += prefix.length + length + 1L;
        if (last) {
            lines++;
            if (size >= rotateAtBytes) {
                rotate();
            }
        }
    }

    private void rotate() throws IOException {
        out.close();
        if (rotation.rotate(ZonedDateTime.now(clock))) {
            rotations++;
        }
        open();
    }

    private void open() throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(
                live, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        size = Files.size(live);
    }

    /** The complete lines written so far (a line cut into fragments counts once). */
    public synchronized long lines() {
        return lines;
    }

    /** How often the file was rotated. */
    public synchronized int rotations() {
        return rotations;
    }

    public Path live() {
        return live;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
