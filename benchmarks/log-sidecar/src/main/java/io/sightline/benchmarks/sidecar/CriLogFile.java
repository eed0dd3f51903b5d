package io.sightline.benchmarks.sidecar;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The node agent's input for the benchmark: the sidecar's JSON lines as containerd writes them to
 * {@code /var/log/pods/<namespace>_<pod>_<uid>/<container>/0.log}: {@code <RFC3339Nano> stdout F <line>}.
 * One line in a hundred is split into {@code P} fragments of {@value #FRAGMENT_BYTES} bytes and a final
 * {@code F}, as containerd splits lines longer than its 16 KiB buffer (shorter fragments here, so that
 * 1 % of these 250-byte lines are split).
 */
public final class CriLogFile {

    static final int FRAGMENT_BYTES = 100;
    private static final int SPLIT_EVERY = 100;

    private CriLogFile() {}

    /**
     * Writes (once; reused while {@code lines} is the same) the CRI file of {@code jsonInput} under
     * {@code podsDir} and reads it through so that it is page-cached. Returns {@code podsDir}.
     */
    static Path prepare(Path jsonInput, Path podsDir, long lines) throws IOException {
        Path file = podsDir.resolve("bench_bench-pod_0f3c2a8e-5d1b-4c7a-9e2f-1a2b3c4d5e6f")
                .resolve("app")
                .resolve("0.log");
        Path marker = podsDir.resolve("lines");
        boolean current = Files.exists(file)
                && Files.exists(marker)
                && Files.readString(marker).equals(Long.toString(lines));
        if (!current) {
            Files.createDirectories(file.getParent());
            try (BufferedReader in = Files.newBufferedReader(jsonInput, StandardCharsets.UTF_8);
                    BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                String line;
                for (long i = 0; (line = in.readLine()) != null; i++) {
                    append(out, i, line);
                }
            }
            // outside the pod tree: the agent reads every *.log* below it
            Files.writeString(marker, Long.toString(lines));
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return podsDir;
    }

    /**
     * Line {@code i} of the file, its JSON record {@code line}, as containerd writes it: a full {@code F} line, or
     * (one in a hundred) {@code P} fragments and a final {@code F}, each ending in a newline. The JMH benchmark of
     * the per-line path (benchmarks/log-sidecar-jmh) frames the same lines.
     */
    public static void append(Appendable out, long i, String line) throws IOException {
        String time = time(i);
        int at = 0;
        if (i % SPLIT_EVERY == SPLIT_EVERY / 2) {
            for (; line.length() - at > FRAGMENT_BYTES; at += FRAGMENT_BYTES) {
                out.append(time)
                        .append(" stdout P ")
                        .append(line, at, at + FRAGMENT_BYTES)
                        .append('\n');
            }
        }
        out.append(time).append(" stdout F ").append(line, at, line.length()).append('\n');
    }

    /** Go's RFC3339Nano as containerd writes it (trailing zeros of the fraction dropped; none here). */
    private static String time(long i) {
        return String.format(
                Locale.ROOT, "2026-11-27T11:20:%02d.%09dZ", (i / 1000) % 60, (i % 1000) * 1_000_000 + 123_457);
    }
}
