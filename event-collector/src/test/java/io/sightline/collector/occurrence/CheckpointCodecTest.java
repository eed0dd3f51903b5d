package io.sightline.collector.occurrence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import static io.sightline.collector.occurrence.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointCodecTest {

    @Test
    void roundTripKeepsEveryEntryAndTheTimeInMilliseconds() {
        Checkpoint checkpoint = new Checkpoint(
                T0.plusNanos(1_234_567),
                Map.of("a", new Emitted(3, T0.toEpochMilli()), "b", new Emitted(1, T0.toEpochMilli() + 5)));
        Checkpoint decoded = CheckpointCodec.decode(CheckpointCodec.encode(checkpoint));
        assertThat(decoded.savedAt()).isEqualTo(T0.plusMillis(1));
        assertThat(decoded.emitted()).isEqualTo(checkpoint.emitted());
    }

    @Test
    void checkpointTooLargeKeepsTheNewestEntriesThatFit() {
        Map<String, Emitted> entries = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            entries.put("uid-" + i + "-" + Integer.toHexString(i * 7919), new Emitted(i, T0.toEpochMilli() + i));
        }
        byte[] encoded = CheckpointCodec.encode(new Checkpoint(T0, entries), 4_000);
        assertThat(encoded.length).isLessThanOrEqualTo(4_000);
        Checkpoint kept = CheckpointCodec.decode(encoded);
        assertThat(kept.emitted()).isNotEmpty().hasSizeLessThan(2_000);
        long oldestKept = kept.emitted().values().stream()
                .mapToLong(Emitted::occurredAtMillis)
                .min()
                .orElseThrow();
        assertThat(entries.values().stream().filter(e -> e.occurredAtMillis() >= oldestKept))
                .hasSize(kept.emitted().size());
    }

    @Test
    void bytesThatAreNoCheckpointAreRefusedWithAReason() throws IOException {
        assertThatThrownBy(() -> CheckpointCodec.decode("plain text".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt checkpoint");
        assertThatThrownBy(() -> CheckpointCodec.decode(gzip("sightline-checkpoint 9 0\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a version");
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
