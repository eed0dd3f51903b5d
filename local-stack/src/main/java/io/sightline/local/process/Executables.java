package io.sightline.local.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs on PATH (Prometheus and Alertmanager come from the Debian packages, not from Maven). */
public final class Executables {

    private Executables() {}

    /** The first of {@code names} found on {@code path} (a PATH-style list), as an executable file. */
    public static Optional<Path> find(String path, String... names) {
        if (path == null) {
            return Optional.empty();
        }
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
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

    public static Optional<Path> onPath(String... names) {
        return find(System.getenv("PATH"), names);
    }

    /** The java binary of the running JVM, so child JVMs use the same Java as the launcher. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
