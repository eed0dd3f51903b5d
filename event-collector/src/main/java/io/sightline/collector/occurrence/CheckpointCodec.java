package io.sightline.collector.occurrence;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Checkpoint bytes: gzip of a header line {@code sightline-checkpoint 2 <savedAtMillis> <horizonMillis>} and one
 * line {@code <uid> <count> <seenAtMillis>} per event. Compact because a ConfigMap holds at most 1 MiB; when the
 * checkpoint would not fit, the oldest entries with nothing pending are left out and the horizon moves up to the
 * newest of them, so a new leader still knows they were written.
 */
final class CheckpointCodec {

    private static final String MAGIC = "sightline-checkpoint";
    private static final String VERSION = "2";

    private CheckpointCodec() {}

    /** A checkpoint as stored, and how many entries had to be left out to fit. */
    record Encoded(byte[] bytes, Checkpoint checkpoint, int dropped) {}

    /**
     * Encodes {@code oldestFirst} within {@code maxBytes}.
     *
     * @param horizon what the TTL already covers: entries seen before it were pruned
     */
    static Encoded encode(
            Instant savedAt, Instant horizon, List<Map.Entry<String, Emitted>> oldestFirst, int maxBytes) {
        int drop = 0;
        while (true) {
            Map<String, Emitted> kept = new HashMap<>();
            Instant covered = horizon;
            int dropped = 0;
            for (Map.Entry<String, Emitted> e : oldestFirst) {
                if (dropped < drop && e.getValue().complete()) {
                    dropped++;
                    Instant seen = Instant.ofEpochMilli(e.getValue().seenAtMillis() + 1);
                    covered = seen.isAfter(covered) ? seen : covered;
                } else {
                    kept.put(e.getKey(), e.getValue());
                }
            }
            Checkpoint checkpoint = new Checkpoint(savedAt, covered, kept);
            byte[] bytes = encode(checkpoint);
            if (bytes.length <= maxBytes || dropped < drop || kept.isEmpty()) {
                return new Encoded(bytes, checkpoint, dropped);
            }
            // about the share that is too much, and a tenth more so that few rounds are needed
            int tooMany = (int) ((long) kept.size() * (bytes.length - maxBytes) / bytes.length);
            drop += Math.max(1, tooMany + kept.size() / 10);
        }
    }

    static byte[] encode(Checkpoint checkpoint) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(bytes), StandardCharsets.UTF_8)) {
            w.write(MAGIC + " " + VERSION + " " + checkpoint.savedAt().toEpochMilli() + " "
                    + checkpoint.horizon().toEpochMilli() + "\n");
            for (Map.Entry<String, Emitted> e : checkpoint.emitted().entrySet()) {
                w.write(e.getKey() + " " + e.getValue().count() + " "
                        + e.getValue().seenAtMillis() + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory gzip failed", e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a checkpoint this version can read */
    static Checkpoint decode(byte[] data) {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(data)), StandardCharsets.UTF_8))) {
            String[] header = split(r.readLine(), 4);
            if (!MAGIC.equals(header[0]) || !VERSION.equals(header[1])) {
                throw new IllegalArgumentException("not a version " + VERSION + " checkpoint");
            }
            Instant savedAt = Instant.ofEpochMilli(Long.parseLong(header[2]));
            Instant horizon = Instant.ofEpochMilli(Long.parseLong(header[3]));
            Map<String, Emitted> emitted = new HashMap<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = split(line, 3);
                emitted.put(f[0], new Emitted(Long.parseLong(f[1]), Long.parseLong(f[2]), true));
            }
            return new Checkpoint(savedAt, horizon, emitted);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalArgumentException("corrupt checkpoint: " + e.getMessage(), e);
        }
    }

    private static String[] split(String line, int fields) {
        String[] parts = line == null ? new String[0] : line.split(" ");
        if (parts.length != fields) {
            throw new IllegalArgumentException("corrupt checkpoint line: '" + line + "'");
        }
        return parts;
    }
}
