package io.sightline.sidecar.ship.loki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.Timestamp;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.loki.logproto.EntryAdapter;
import io.sightline.sidecar.ship.loki.logproto.LabelPairAdapter;
import io.sightline.sidecar.ship.loki.logproto.PushRequest;
import io.sightline.sidecar.ship.loki.logproto.StreamAdapter;
import io.sightline.sidecar.source.SourcePosition;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written protobuf push is, byte for byte, what the generated classes write for the same streams, whatever
 * number of bytes each length takes: entries whose length takes one, two or three bytes, streams of a few bytes and
 * of more than 2 MiB, timestamps before 1970 (ten-byte seconds), metadata that repeats and that changes.
 */
class ProtobufPushEncoderTest {

    private static final Identity POD = new Identity("shop", "orders-1", "node-1", "app", null);
    private static final Identity OTHER = new Identity("shop", "billing-1", "node-2", "billing", null);

    @Test
    void writesTheBytesTheGeneratedClassesWrite() throws IOException {
        LokiStreams streams = new LokiStreams(POD, "app");
        ProtobufPushEncoder encoder = new ProtobufPushEncoder(streams);
        int[] lineLengths = {1, 60, 120, 127, 128, 200, 16_300, 16_383, 16_384, 20_000, 40};
        List<LogRecord> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // the first 150 lines of 16 KiB make one stream of more than 2 MiB: its length takes four bytes
            int length = i < 150 ? 16_384 : lineLengths[i % lineLengths.length];
            long nanos = i % 7 == 3 ? -1_500_000_000_123L : 1_764_000_000_000_000_000L + i * 1_000_001L;
            LogRecord.Builder record = new LogRecord.Builder()
                    .start(line(i, length), nanos, new SourcePosition("f", i, i + 1))
                    .level(i % 3 == 0 ? "ERROR" : "INFO")
                    .serviceVersion(i % 5 == 0 ? null : "1." + (i / 50));
            if (i % 4 != 0) {
                record.traceUtf8(ascii("%032x".formatted(i)), ascii("%016x".formatted(i)));
            }
            if (i >= 150) {
                // a container of its own (the node agent's) with its output stream: a second, short stream
                record.container(i % 2 == 0 ? OTHER : null, i % 2 == 0 ? "stderr" : null);
            }
            batch.add(record.build());
        }
        List<LokiStream> push = streams.group(batch);
        assertThat(push).hasSizeGreaterThanOrEqualTo(2);

        byte[] written = Snappy.uncompress(encoder.encode(push));
        // twice: the second push starts from the metadata the first one left
        byte[] again = Snappy.uncompress(encoder.encode(push));

        byte[] generated = generated(streams, push).toByteArray();
        assertThat(written).isEqualTo(generated);
        assertThat(again).isEqualTo(generated);
    }

    private static PushRequest generated(LokiStreams streams, List<LokiStream> push) {
        PushRequest.Builder request = PushRequest.newBuilder();
        for (LokiStream stream : push) {
            StreamAdapter.Builder adapter =
                    StreamAdapter.newBuilder().setLabels(stream.labels().selector());
            for (LogRecord record : stream.entries()) {
                long nanos = record.timestampNanos();
                EntryAdapter.Builder entry = EntryAdapter.newBuilder()
                        .setTimestamp(Timestamp.newBuilder()
                                .setSeconds(Math.floorDiv(nanos, 1_000_000_000L))
                                .setNanos((int) Math.floorMod(nanos, 1_000_000_000L)))
                        .setLine(record.line());
                for (int i = 0; i < LokiStreams.METADATA_NAMES.length; i++) {
                    String value = streams.metadataValue(i, record);
                    if (value != null) {
                        entry.addStructuredMetadata(LabelPairAdapter.newBuilder()
                                .setName(LokiStreams.METADATA_NAMES[i])
                                .setValue(value));
                    }
                }
                adapter.addEntries(entry);
            }
            request.addStreams(adapter);
        }
        return request.build();
    }

    private static byte[] line(int i, int length) {
        StringBuilder line = new StringBuilder("line ").append(i).append(' ');
        while (line.length() < length) {
            line.append((char) ('a' + line.length() % 26));
        }
        return ascii(line.substring(0, length));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
