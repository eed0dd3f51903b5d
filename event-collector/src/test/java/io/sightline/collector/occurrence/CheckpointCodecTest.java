package io.sightline.collector.occurrence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import static io.sightline.collector.occurrence.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointCodecTest {

    @Test
    void roundTripKeepsEveryEntryTheHorizonAndTheTimesInMilliseconds() {
        Checkpoint checkpoint = new Checkpoint(
                T0.plusNanos(1_234_567),
                T0.minusSeconds(3600),
                Map.of("a", new Emitted(3, T0.toEpochMilli(), true), "b", new Emitted(0, T0.toEpochMilli() + 5, true)));
        Checkpoint decoded = CheckpointCodec.decode(CheckpointCodec.encode(checkpoint));
        assertThat(decoded.savedAt()).isEqualTo(T0.plusMillis(1));
        assertThat(decoded.horizon()).isEqualTo(T0.minusSeconds(3600));
        assertThat(decoded.emitted()).isEqualTo(checkpoint.emitted());
    }

    @Test
    void tooLargeCheckpointLeavesOutTheOldestCompleteEntriesAndCoversThemWithItsHorizon() {
        List<Map.Entry<String, Emitted>> oldestFirst = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            // every 10th entry has a record pending: it must stay listed
            oldestFirst.add(Map.entry(
                    "uid-" + i + "-" + Integer.toHexString(i * 7919),
                    new Emitted(i, T0.toEpochMilli() + i, i % 10 != 0)));
        }
        CheckpointCodec.Encoded encoded = CheckpointCodec.encode(T0.plusSeconds(10), T0, oldestFirst, 8_000);

        assertThat(encoded.bytes().length).isLessThanOrEqualTo(8_000);
        assertThat(encoded.dropped()).isPositive();
        Checkpoint kept = CheckpointCodec.decode(encoded.bytes());
        Instant horizon = kept.horizon();
        for (Map.Entry<String, Emitted> e : oldestFirst) {
            boolean listed = kept.emitted().containsKey(e.getKey());
            boolean covered = e.getValue().seenAtMillis() < horizon.toEpochMilli();
            assertThat(listed || (covered && e.getValue().complete()))
                    .as("%s is listed, or complete and covered by the horizon", e.getKey())
                    .isTrue();
        }
        assertThat(kept.emitted()).containsKey(oldestFirst.get(0).getKey());
    }

    @Test
    void bytesThatAreNoCheckpointAreRefusedWithAReason() throws IOException {
        assertThatThrownBy(() -> CheckpointCodec.decode("plain text".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt checkpoint");
        assertThatThrownBy(() -> CheckpointCodec.decode(gzip("sightline-checkpoint 1 0\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt checkpoint line");
        assertThatThrownBy(() -> CheckpointCodec.decode(gzip("sightline-checkpoint 9 0 0\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a version 2");
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
