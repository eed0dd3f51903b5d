package io.sightline.sidecar.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens a log file for reading; a seam so tests can simulate a permission failure when running as root. */
@FunctionalInterface
public interface FileOpener {

    FileOpener DEFAULT = path -> FileChannel.open(path, StandardOpenOption.READ);

    FileChannel open(Path path) throws IOException;
}
