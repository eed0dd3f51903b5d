package io.sightline.sidecar.ship.loki;

import java.io.IOException;
import java.util.List;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Timestamp;
import com.google.protobuf.WireFormat;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.loki.logproto.EntryAdapter;
import io.sightline.sidecar.ship.loki.logproto.LabelPairAdapter;
import io.sightline.sidecar.ship.loki.logproto.PushRequest;
import io.sightline.sidecar.ship.loki.logproto.StreamAdapter;
import org.xerial.snappy.Snappy;

/**
 * Loki's default push format: a {@code logproto.PushRequest} (src/main/proto/logproto/push.proto),
 * compressed as one raw snappy block, {@code Content-Type: application/x-protobuf} and no
 * {@code Content-Encoding} (Loki rejects {@code Content-Encoding: snappy}).
 *
 * <p>The message is written field by field, with the field numbers of the generated classes, straight
 * into one exactly sized array: building generated message objects would allocate several objects per
 * log line on the sidecar's hot path. Tests decode the output with the generated parser.
 */
final class ProtobufPushEncoder implements LokiEncoder {

    private final LokiStreams streams;

    ProtobufPushEncoder(LokiStreams streams) {
        this.streams = streams;
    }

    @Override
    public String contentType() {
        return "application/x-protobuf";
    }

    @Override
    public byte[] encode(List<LokiStream> push) throws IOException {
        int entryCount = 0;
        for (LokiStream stream : push) {
            entryCount += stream.entries().size();
        }
        int[] entrySizes = new int[entryCount];
        int[] streamSizes = new int[push.size()];
        int total = 0;
        int e = 0;
        for (int s = 0; s < push.size(); s++) {
            LokiStream stream = push.get(s);
            int size = CodedOutputStream.computeStringSize(
                    StreamAdapter.LABELS_FIELD_NUMBER, stream.labels().selector());
            for (LogRecord record : stream.entries()) {
                int entrySize = entrySize(record);
                entrySizes[e++] = entrySize;
                size += CodedOutputStream.computeTagSize(StreamAdapter.ENTRIES_FIELD_NUMBER)
                        + CodedOutputStream.computeUInt32SizeNoTag(entrySize)
                        + entrySize;
            }
            streamSizes[s] = size;
            total += CodedOutputStream.computeTagSize(PushRequest.STREAMS_FIELD_NUMBER)
                    + CodedOutputStream.computeUInt32SizeNoTag(size)
                    + size;
        }

        byte[] message = new byte[total];
        CodedOutputStream out = CodedOutputStream.newInstance(message);
        e = 0;
        for (int s = 0; s < push.size(); s++) {
            LokiStream stream = push.get(s);
            out.writeTag(PushRequest.STREAMS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(streamSizes[s]);
            out.writeString(StreamAdapter.LABELS_FIELD_NUMBER, stream.labels().selector());
            for (LogRecord record : stream.entries()) {
                out.writeTag(StreamAdapter.ENTRIES_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(entrySizes[e++]);
                writeEntry(out, record);
            }
        }
        out.checkNoSpaceLeft();
        return Snappy.compress(message);
    }

    private int entrySize(LogRecord record) {
        int timestamp = timestampSize(record.timestampNanos());
        int size = CodedOutputStream.computeTagSize(EntryAdapter.TIMESTAMP_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(timestamp)
                + timestamp
                + CodedOutputStream.computeStringSize(EntryAdapter.LINE_FIELD_NUMBER, record.line());
        for (int i = 0; i < LokiStreams.METADATA_NAMES.length; i++) {
            String value = streams.metadataValue(i, record);
            if (value != null) {
                int pair = pairSize(LokiStreams.METADATA_NAMES[i], value);
                size += CodedOutputStream.computeTagSize(EntryAdapter.STRUCTUREDMETADATA_FIELD_NUMBER)
                        + CodedOutputStream.computeUInt32SizeNoTag(pair)
                        + pair;
            }
        }
        return size;
    }

    private void writeEntry(CodedOutputStream out, LogRecord record) throws IOException {
        long nanos = record.timestampNanos();
        out.writeTag(EntryAdapter.TIMESTAMP_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(timestampSize(nanos));
        if (seconds(nanos) != 0) {
            out.writeInt64(Timestamp.SECONDS_FIELD_NUMBER, seconds(nanos));
        }
        if (nanosOfSecond(nanos) != 0) {
            out.writeInt32(Timestamp.NANOS_FIELD_NUMBER, nanosOfSecond(nanos));
        }
        out.writeString(EntryAdapter.LINE_FIELD_NUMBER, record.line());
        for (int i = 0; i < LokiStreams.METADATA_NAMES.length; i++) {
            String value = streams.metadataValue(i, record);
            if (value != null) {
                String name = LokiStreams.METADATA_NAMES[i];
                out.writeTag(EntryAdapter.STRUCTUREDMETADATA_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(pairSize(name, value));
                out.writeString(LabelPairAdapter.NAME_FIELD_NUMBER, name);
                out.writeString(LabelPairAdapter.VALUE_FIELD_NUMBER, value);
            }
        }
    }

    private static int pairSize(String name, String value) {
        return CodedOutputStream.computeStringSize(LabelPairAdapter.NAME_FIELD_NUMBER, name)
                + CodedOutputStream.computeStringSize(LabelPairAdapter.VALUE_FIELD_NUMBER, value);
    }

    /** proto3 leaves zero fields out, as the generated code would. */
    private static int timestampSize(long nanos) {
        long seconds = seconds(nanos);
        int nanosOfSecond = nanosOfSecond(nanos);
        return (seconds == 0 ? 0 : CodedOutputStream.computeInt64Size(Timestamp.SECONDS_FIELD_NUMBER, seconds))
                + (nanosOfSecond == 0
                        ? 0
                        : CodedOutputStream.computeInt32Size(Timestamp.NANOS_FIELD_NUMBER, nanosOfSecond));
    }

    private static long seconds(long epochNanos) {
        return Math.floorDiv(epochNanos, 1_000_000_000L);
    }

    private static int nanosOfSecond(long epochNanos) {
        return (int) Math.floorMod(epochNanos, 1_000_000_000L);
    }
}
