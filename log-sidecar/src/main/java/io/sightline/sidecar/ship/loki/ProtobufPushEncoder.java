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

    private final LokiStreams streams;
    private final ProtoWriter message = new ProtoWriter();
    private byte[] compressed = new byte[0];
    /** Per structured metadata name: the last value seen and its encoded field. */
    private final String[] lastValues = new String[LokiStreams.METADATA_NAMES.length];

    private final byte[][] lastFields = new byte[LokiStreams.METADATA_NAMES.length][];
    private final int[] lastFieldLengths = new int[LokiStreams.METADATA_NAMES.length];
    private final byte[][] names = new byte[LokiStreams.METADATA_NAMES.length][];

    ProtobufPushEncoder(LokiStreams streams) {
        this.streams = streams;
        for (int i = 0; i < names.length; i++) {
            names[i] = LokiStreams.METADATA_NAMES[i].getBytes(StandardCharsets.UTF_8);
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
            int streamMark = message.beginMessage(PushRequest.STREAMS_FIELD_NUMBER);
            message.bytesField(
                    StreamAdapter.LABELS_FIELD_NUMBER,
                    stream.labels().selector().getBytes(StandardCharsets.UTF_8));
            for (LogRecord record : stream.entries()) {
                int entryMark = message.beginMessage(StreamAdapter.ENTRIES_FIELD_NUMBER);
                writeEntry(record);
                message.endMessage(entryMark);
            }
            message.endMessage(streamMark);
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
        int timestampSize = (seconds == 0 ? 0 : 1 + ProtoWriter.varintSize(seconds))
                + (nanosOfSecond == 0 ? 0 : 1 + ProtoWriter.varintSize(nanosOfSecond));
        message.tag(EntryAdapter.TIMESTAMP_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        message.varint(timestampSize);
        if (seconds != 0) {
            message.tag(Timestamp.SECONDS_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
            message.varint(seconds);
        }
        if (nanosOfSecond != 0) {
            message.tag(Timestamp.NANOS_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
            message.varint(nanosOfSecond);
        }
        message.bytesField(EntryAdapter.LINE_FIELD_NUMBER, record.lineBytes());
        for (int i = 0; i < names.length; i++) {
            if (LokiStreams.isId(i)) {
                // a new value on every entry: written from the record's bytes, nothing to compare or keep
                byte[] id = streams.idUtf8(i, record);
                if (id != null) {
                    writeLabelPair(names[i], id);
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
        writeLabelPair(names[index], value.getBytes(StandardCharsets.UTF_8));
        lastValues[index] = value;
        // kept in an array reused while it is large enough
        int length = message.length() - start;
        if (lastFields[index] == null || lastFields[index].length < length) {
            lastFields[index] = new byte[Math.max(64, length)];
        }
        System.arraycopy(message.array(), start, lastFields[index], 0, length);
        lastFieldLengths[index] = length;
    }

    /** One structured metadata field: the label pair {@code name} = {@code value}, both UTF-8. */
    private void writeLabelPair(byte[] name, byte[] value) {
        message.tag(EntryAdapter.STRUCTUREDMETADATA_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        message.varint(1
                + ProtoWriter.varintSize(name.length)
                + name.length
                + 1
                + ProtoWriter.varintSize(value.length)
                + value.length);
        message.bytesField(LabelPairAdapter.NAME_FIELD_NUMBER, name);
        message.bytesField(LabelPairAdapter.VALUE_FIELD_NUMBER, value);
    }
}
