package io.sightline.testsupport.tool;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs on a PATH-style list of directories (the real tools come from Debian packages, not Maven). */
public final class Executables {

    private Executables() {}

    /** The first of {@code names} (alternatives, in order of preference) found on {@code path} as an executable file. */
    public static Optional<Path> find(String path, String... names) {
        if (path == null) {
            return Optional.empty();
        }
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isBlank()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** {@link #find} on this process's {@code PATH}. */
    public static Optional<Path> onPath(String... names) {
        return find(System.getenv("PATH"), names);
    }
}
