package io.sightline.sidecar.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The checkpoint file: one line per file identity with its acknowledged offset. Replaced
 * atomically (write a temporary file, fsync it, rename it over the old one, fsync the directory),
 * so a crash at any moment leaves either the old or the new checkpoint, never a torn one.
 */
public final class CheckpointStore {

    static final String HEADER = "# sightline log-sidecar checkpoint v1: file-id offset size path";
    private static final String FILE_NAME = "checkpoint";

    private final Path dir;
    private final Path file;
    private final Path temporary;

    /** The last acknowledged {@code offset} of a file, its {@code size} when last seen, and where it was. */
    public record Entry(String fileId, long offset, long size, Path path) {}

    public CheckpointStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.file = dir.resolve(FILE_NAME);
        this.temporary = dir.resolve(FILE_NAME + ".tmp");
    }

    public Path file() {
        return file;
    }

    /** The entries of the last complete checkpoint; empty when there is none yet. */
    public List<Entry> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", 4);
            try {
                if (fields.length != 4) {
                    throw new NumberFormatException("expected 4 tab-separated fields");
                }
                entries.add(
                        new Entry(fields[0], Long.parseLong(fields[1]), Long.parseLong(fields[2]), Path.of(fields[3])));
            } catch (NumberFormatException e) {
                throw new IOException(
                        "checkpoint " + file + " has a malformed line '" + line
                                + "': delete the file to start over (files are then read again per SIGHTLINE_READ_FROM)",
                        e);
            }
        }
        return entries;
    }

    public void write(Collection<Entry> entries) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Entry entry : entries) {
            text.append(entry.fileId())
                    .append('\t')
                    .append(entry.offset())
                    .append('\t')
                    .append(entry.size())
                    .append('\t')
                    .append(entry.path())
                    .append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try (FileChannel channel = FileChannel.open(
                temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(
                    "the checkpoint directory " + dir + " does not support atomic rename:"
                            + " put SIGHTLINE_CHECKPOINT_DIR on a local or POSIX file system",
                    e);
        }
        // the rename itself is only durable once the directory entry is on disk
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }
}
