package io.sightline.local.process;

import java.nio.file.Path;
import java.util.Optional;

/** The programs the launcher starts: the optional ones from PATH, the Java children with the launcher's own Java. */
public final class Executables {

    private Executables() {}

    /** The first of {@code names} on PATH (Prometheus and Alertmanager come from the Debian packages, not Maven). */
    public static Optional<Path> onPath(String... names) {
        return io.sightline.testsupport.tool.Executables.onPath(names);
    }

    /** The java binary of the running JVM, so child JVMs use the same Java as the launcher. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
