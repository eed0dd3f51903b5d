package io.sightline.sidecar.ship.loki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

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
 * <p>The message is written field by field, with the field numbers of the generated classes, in one
 * pass into a buffer reused from push to push ({@link ProtoWriter}), and compressed into another:
 * per line the only work is copying its UTF-8 bytes. Structured metadata that repeats from entry to
 * entry (pod, node, level, version) is encoded once and copied; trace and span ids, new on every entry, are
 * copied from the record's bytes. Tests decode the output with the
 * generated parser. One sender thread uses an encoder.
 */
final class ProtobufPushEncoder implements LokiEncoder {

    /** Length bytes reserved for a stream: 16 KiB to 2 MiB, as the default 1 MiB batch of one stream is. */
    private static final int STREAM_LENGTH_BYTES = 3;
    /** Length bytes reserved for an entry: 128 bytes to 16 KiB, as nearly every log line's entry is. */
    private static final int ENTRY_LENGTH_BYTES = 2;
    /** A timestamp's seconds and nanos take at most 17 bytes: its length is always one byte. */
    private static final int TIMESTAMP_LENGTH_BYTES = 1;

    private final LokiStreams streams;
    private final ProtoWriter message = new ProtoWriter();
    private byte[] compressed = new byte[0];
    /** Per structured metadata name: the last value seen and its encoded field. */
    private final String[] lastValues = new String[LokiStreams.METADATA_NAMES.length];

    private final byte[][] lastFields = new byte[LokiStreams.METADATA_NAMES.length][];
    private final int[] lastFieldLengths = new int[LokiStreams.METADATA_NAMES.length];
    /** Per structured metadata name: its label pair up to the value's length (name field, value's tag), encoded once. */
    private final byte[][] labelPairStarts = new byte[LokiStreams.METADATA_NAMES.length][];

    ProtobufPushEncoder(LokiStreams streams) {
        this.streams = streams;
        ProtoWriter start = new ProtoWriter();
        for (int i = 0; i < labelPairStarts.length; i++) {
            start.reset();
            start.bytesField(
                    LabelPairAdapter.NAME_FIELD_NUMBER, LokiStreams.METADATA_NAMES[i].getBytes(StandardCharsets.UTF_8));
            start.tag(LabelPairAdapter.VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            labelPairStarts[i] = Arrays.copyOf(start.array(), start.length());
        }
    }

    @Override
    public String contentType() {
        return "application/x-protobuf";
    }

    @Override
    public byte[] encode(List<LokiStream> push) throws IOException {
        message.reset();
        for (LokiStream stream : push) {
            int streamMark = message.beginMessage(PushRequest.STREAMS_FIELD_NUMBER, STREAM_LENGTH_BYTES);
            message.bytesField(
                    StreamAdapter.LABELS_FIELD_NUMBER,
                    stream.labels().selector().getBytes(StandardCharsets.UTF_8));
            for (LogRecord record : stream.entries()) {
                int entryMark = message.beginMessage(StreamAdapter.ENTRIES_FIELD_NUMBER, ENTRY_LENGTH_BYTES);
                writeEntry(record);
                message.endMessage(entryMark, ENTRY_LENGTH_BYTES);
            }
            message.endMessage(streamMark, STREAM_LENGTH_BYTES);
        }
        int maxCompressed = Snappy.maxCompressedLength(message.length());
        if (compressed.length < maxCompressed || compressed.length > 2 * maxCompressed + (64 << 10)) {
            compressed = new byte[maxCompressed];
        }
        int length = Snappy.compress(message.array(), 0, message.length(), compressed, 0);
        return Arrays.copyOf(compressed, length);
    }

    private void writeEntry(LogRecord record) {
        long nanos = record.timestampNanos();
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        int nanosOfSecond = (int) Math.floorMod(nanos, 1_000_000_000L);
        // proto3 leaves zero fields out, as the generated code would
        int timestampMark = message.beginMessage(EntryAdapter.TIMESTAMP_FIELD_NUMBER, TIMESTAMP_LENGTH_BYTES);
        if (seconds != 0) {
            message.tag(Timestamp.SECONDS_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
            message.varint(seconds);
        }
        if (nanosOfSecond != 0) {
            message.tag(Timestamp.NANOS_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
            message.varint(nanosOfSecond);
        }
        message.endMessage(timestampMark, TIMESTAMP_LENGTH_BYTES);
        message.bytesField(EntryAdapter.LINE_FIELD_NUMBER, record.lineBytes());
        for (int i = 0; i < labelPairStarts.length; i++) {
            if (LokiStreams.isId(i)) {
                // a new value on every entry: written from the record's bytes, nothing to compare or keep
                byte[] id = streams.idUtf8(i, record);
                if (id != null) {
                    writeLabelPair(i, id);
                }
                continue;
            }
            String value = streams.metadataValue(i, record);
            if (value != null) {
                writeMetadata(i, value);
            }
        }
    }

    /** The structured metadata field {@code METADATA_NAMES[index]} = {@code value}; copied while the value repeats. */
    private void writeMetadata(int index, String value) {
        if (value.equals(lastValues[index])) {
            message.raw(lastFields[index], lastFieldLengths[index]);
            return;
        }
        int start = message.length();
        writeLabelPair(index, value.getBytes(StandardCharsets.UTF_8));
        lastValues[index] = value;
        // kept in an array reused while it is large enough
        int length = message.length() - start;
        if (lastFields[index] == null || lastFields[index].length < length) {
            lastFields[index] = new byte[Math.max(64, length)];
        }
        System.arraycopy(message.array(), start, lastFields[index], 0, length);
        lastFieldLengths[index] = length;
    }

    /** One structured metadata field: the label pair {@code METADATA_NAMES[index]} = {@code value} (UTF-8). */
    private void writeLabelPair(int index, byte[] value) {
        byte[] start = labelPairStarts[index];
        int length = value.length;
        message.tag(EntryAdapter.STRUCTUREDMETADATA_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        message.varint(start.length + ProtoWriter.varintSize(length) + length);
        message.raw(start, start.length);
        message.varint(length);
        message.raw(value, length);
    }
}
