package io.sightline.local.podlogs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads one output stream of a process as a container runtime's shim does: cut into lines at {@code '\n'}, a line
 * longer than {@link CriLogFile#MAX_FRAGMENT_BYTES} into fragments of that size, each handed to the log file as it
 * completes (a long line is never held whole). Output that ends without a newline is a last line of its own. Every
 * byte also goes to {@code copy} as read (the launcher's {@code processes/<name>.out}, for error messages).
 */
final class OutputPump {

    private final StdStream stream;
    private final CriLogFile log;
    private final OutputStream copy;

    /** @param copy shared by the process's two pumps, so writes to it are made under its lock */
    OutputPump(StdStream stream, CriLogFile log, OutputStream copy) {
        this.stream = stream;
        this.log = log;
        this.copy = copy;
    }

    /** Pumps until the end of {@code in} (the process closed its end of the pipe). */
    void pump(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        byte[] line = new byte[CriLogFile.MAX_FRAGMENT_BYTES];
        int length = 0;
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            synchronized (copy) {
                copy.write(buffer, 0, read);
                copy.flush();
            }
            for (int i = 0; i < read; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    log.write(stream, line, 0, length, true);
                    length = 0;
                } else {
                    if (length == line.length) {
                        log.write(stream, line, 0, length, false);
                        length = 0;
                    }
                    line[length++] = b;
                }
            }
        }
        if (length > 0) {
            log.write(stream, line, 0, length, true);
        }
    }
}
