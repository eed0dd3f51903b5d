package io.sightline.local;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * The directory a run keeps its logs, data and generated configuration in. Each run starts empty, so the record
 * counts of {@code --check} cover this run only; a directory is emptied only if a previous run marked it as its
 * own, never a directory the user pointed at by mistake.
 */
final class WorkDir {

    static final String MARKER = ".sightline-local-workdir";

    private WorkDir() {}

    /** Makes {@code root} an empty work dir of the local stack; returns it as an absolute path. */
    static Path prepare(Path root) throws IOException {
        Path absolute = root.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute) && !isEmpty(absolute)) {
            if (!Files.exists(absolute.resolve(MARKER))) {
                throw new IllegalArgumentException(
                        "work dir " + absolute + " is not empty and was not made by the local " + "stack (no " + MARKER
                                + "); choose another --work-dir or empty it yourself");
            }
            deleteContents(absolute);
        }
        Files.createDirectories(absolute);
        Files.writeString(absolute.resolve(MARKER), "made by ./sightline local; emptied at every start\n");
        return absolute;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void deleteContents(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path visited, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                if (!visited.equals(dir)) {
                    Files.delete(visited);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
