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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoint bytes: gzip of a header line {@code sightline-checkpoint 1 <savedAtMillis>} and one line
 * {@code <uid> <count> <occurredAtMillis>} per event. Compact because a ConfigMap holds at most 1 MiB; when the
 * checkpoint would not fit, the oldest entries are left out (a restart may then repeat those few events).
 */
final class CheckpointCodec {

    private static final Logger log = LoggerFactory.getLogger(CheckpointCodec.class);

    private static final String MAGIC = "sightline-checkpoint";
    private static final String VERSION = "1";

    private CheckpointCodec() {}

    /** Encodes the newest entries that fit in {@code maxBytes}. */
    static byte[] encode(Checkpoint checkpoint, int maxBytes) {
        byte[] encoded = encode(checkpoint);
        if (encoded.length > maxBytes) {
            encoded = encode(newestThatFit(checkpoint, encoded.length, maxBytes));
        }
        return encoded;
    }

    static byte[] encode(Checkpoint checkpoint) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(bytes), StandardCharsets.UTF_8)) {
            w.write(MAGIC + " " + VERSION + " " + checkpoint.savedAt().toEpochMilli() + "\n");
            for (Map.Entry<String, Emitted> e : checkpoint.emitted().entrySet()) {
                w.write(e.getKey() + " " + e.getValue().count() + " "
                        + e.getValue().occurredAtMillis() + "\n");
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
            String[] header = split(r.readLine(), 3);
            if (!MAGIC.equals(header[0]) || !VERSION.equals(header[1])) {
                throw new IllegalArgumentException("not a version " + VERSION + " checkpoint");
            }
            Instant savedAt = Instant.ofEpochMilli(Long.parseLong(header[2]));
            Map<String, Emitted> emitted = new HashMap<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = split(line, 3);
                emitted.put(f[0], new Emitted(Long.parseLong(f[1]), Long.parseLong(f[2])));
            }
            return new Checkpoint(savedAt, emitted);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalArgumentException("corrupt checkpoint: " + e.getMessage(), e);
        }
    }

    private static Checkpoint newestThatFit(Checkpoint checkpoint, int encodedLength, int maxBytes) {
        int keep = (int) ((long) checkpoint.emitted().size() * maxBytes / encodedLength * 9 / 10);
        log.warn(
                "Checkpoint of {} events exceeds what a ConfigMap holds; keeping the newest {}. A restart may repeat "
                        + "the others: lower sightline.collector.event-ttl or narrow the watched namespaces.",
                checkpoint.emitted().size(),
                keep);
        Map<String, Emitted> newest = new LinkedHashMap<>();
        checkpoint.emitted().entrySet().stream()
                .sorted(Comparator.comparingLong(
                                (Map.Entry<String, Emitted> e) -> e.getValue().occurredAtMillis())
                        .reversed())
                .limit(keep)
                .forEach(e -> newest.put(e.getKey(), e.getValue()));
        return new Checkpoint(checkpoint.savedAt(), newest);
    }

    private static String[] split(String line, int fields) {
        String[] parts = line == null ? new String[0] : line.split(" ");
        if (parts.length != fields) {
            throw new IllegalArgumentException("corrupt checkpoint line: '" + line + "'");
        }
        return parts;
    }
}
