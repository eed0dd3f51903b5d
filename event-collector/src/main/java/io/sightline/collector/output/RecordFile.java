package io.sightline.collector.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An append-only file rotated by size: {@code events.log} becomes {@code events.log.1} (older ones shift up to
 * {@code maxFiles}) and a fresh file is opened. Renaming keeps the inode, so a sidecar that follows the file by
 * identity finishes reading the rotated file. A line is never split across files.
 * <p>
 * Bytes are written straight to the channel (no buffer in the JVM), so a write that returned is flushed to the
 * operating system. A write that fails part-way (a full disk) leaves an incomplete last line; it is never
 * truncated (the sidecar may have read it, and would take a shrinking file for a new one), the next write ends it
 * with a newline first, so no record is ever appended to a fragment.
 */
final class RecordFile implements AutoCloseable {

    /** Opens the file for appending; tests substitute a channel that fails like a full disk. */
    interface Opener {
        FileChannel open(Path path) throws IOException;
    }

    /** At the end of the file, readable so that an unfinished last line can be detected. */
    static final Opener APPEND = path -> {
        FileChannel channel =
                FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return channel.position(channel.size());
    };

    private final Path path;
    private final long maxBytes;
    private final int maxFiles;
    private final Opener opener;
    private FileChannel channel;
    private long size;
    private boolean endsInsideALine;

    RecordFile(Path path, long maxBytes, int maxFiles, Opener opener) {
        this.path = path;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.opener = opener;
    }

    /** Bytes that still fit before the file is rotated (at least one record always fits a fresh file). */
    long room() throws IOException {
        ensureOpen();
        return maxBytes - size;
    }

    boolean isEmpty() throws IOException {
        ensureOpen();
        return size == 0;
    }

    void rotate() throws IOException {
        close();
        for (int i = maxFiles - 1; i >= 1; i--) {
            Path older = sibling(i);
            if (Files.exists(older)) {
                Files.move(older, sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(path, sibling(1), StandardCopyOption.REPLACE_EXISTING);
        ensureOpen();
    }

    /**
     * Appends whole lines. On failure, returns how many of the bytes reached the file (the caller accounts the
     * lines among them as written, the rest as lost) by throwing {@link PartialWrite}.
     */
    void append(byte[] lines, int length) throws PartialWrite {
        long before;
        try {
            ensureOpen();
            if (endsInsideALine) {
                writeFully(ByteBuffer.wrap(new byte[] {'\n'}));
                size++;
                endsInsideALine = false;
            }
            before = size;
        } catch (IOException e) {
            throw new PartialWrite(0, e);
        }
        ByteBuffer buffer = ByteBuffer.wrap(lines, 0, length);
        try {
            writeFully(buffer);
            size += length;
        } catch (IOException e) {
            int landed = buffer.position();
            size = before + landed;
            endsInsideALine = landed > 0 && lines[landed - 1] != '\n';
            closeQuietly();
            throw new PartialWrite(landed, e);
        }
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private void ensureOpen() throws IOException {
        if (channel != null) {
            return;
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        channel = opener.open(path);
        size = channel.size();
        if (size > 0 && !endsInsideALine) {
            // a previous process may have stopped in the middle of a line
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            endsInsideALine = last.get(0) != '\n';
        }
    }

    private Path sibling(int index) {
        return path.resolveSibling(path.getFileName() + "." + index);
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // the channel is unusable either way; the next append opens a new one
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            FileChannel closing = channel;
            channel = null;
            closing.close();
        }
    }

    /** A write that failed after {@code landed} bytes reached the file. */
    static final class PartialWrite extends Exception {
        final int landed;

        PartialWrite(int landed, IOException cause) {
            super(cause);
            this.landed = landed;
        }
    }
}
