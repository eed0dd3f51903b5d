package io.sightline.collector.output;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An append-only file rotated by size: {@code events.log} becomes {@code events.log.1} (older ones shift up to
 * {@code maxFiles}) and a fresh file is opened. Renaming keeps the inode, so a sidecar that follows the file by
 * identity finishes reading the rotated file. A line is never split across files.
 */
final class RotatingFile implements AutoCloseable {

    private final Path path;
    private final long maxBytes;
    private final int maxFiles;
    private OutputStream out;
    private long size;

    RotatingFile(Path path, long maxBytes, int maxFiles) {
        this.path = path;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
    }

    void write(byte[] line, int length) throws IOException {
        if (out == null) {
            open();
        }
        if (size > 0 && size + length > maxBytes) {
            rotate();
        }
        out.write(line, 0, length);
        size += length;
    }

    void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    private void open() throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = new BufferedOutputStream(
                Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 64 * 1024);
        size = Files.size(path);
    }

    private void rotate() throws IOException {
        close();
        for (int i = maxFiles - 1; i >= 1; i--) {
            Path older = sibling(i);
            if (Files.exists(older)) {
                Files.move(older, sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(path, sibling(1), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private Path sibling(int index) {
        return path.resolveSibling(path.getFileName() + "." + index);
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            OutputStream closing = out;
            out = null;
            closing.close();
        }
    }
}
