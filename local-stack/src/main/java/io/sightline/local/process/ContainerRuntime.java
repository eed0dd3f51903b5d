package io.sightline.local.process;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Takes the output of chosen child processes as a container runtime takes a container's: the process gets pipes for
 * stdout and stderr instead of the output file, and the runtime reads them. Set on the {@link ProcessSupervisor}
 * before the processes start.
 */
public interface ContainerRuntime {

    /** Whether the process of this name runs as a container of this runtime. */
    boolean runs(String processName);

    /**
     * Starts reading the just started process's stdout and stderr until it closes them, in threads of its own; keeps
     * a copy of both in {@code outputFile}, which the launcher shows when the process fails.
     */
    void attach(String processName, Process process, Path outputFile) throws IOException;
}
