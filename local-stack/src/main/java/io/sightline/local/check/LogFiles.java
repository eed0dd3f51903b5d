package io.sightline.local.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Counts the records a service wrote: non-blank lines of its {@code *.log} files and of the files the starter
 * rotated them to ({@code app.log.1} …), which the sidecar finishes reading after a rotation.
 */
public final class LogFiles {

    private LogFiles() {}

    public static long countRecords(Path logDir) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(logDir)) {
            files = listing.filter(
                            p -> p.getFileName().toString().matches(".*\\.log(\\.\\d+)?") && Files.isRegularFile(p))
                    .toList();
        }
        long records = 0;
        for (Path file : files) {
            records += countNonBlankLines(file);
        }
        return records;
    }

    /** Streams the file, so a large log is never held in memory; a last line without '\n' counts too. */
    static long countNonBlankLines(Path file) throws IOException {
        long lines = 0;
        boolean lineHasContent = false;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                for (int i = 0; i < read; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        if (lineHasContent) {
                            lines++;
                        }
                        lineHasContent = false;
                    } else if (b != ' ' && b != '\t' && b != '\r') {
                        lineHasContent = true;
                    }
                }
            }
        }
        return lineHasContent ? lines + 1 : lines;
    }
}
