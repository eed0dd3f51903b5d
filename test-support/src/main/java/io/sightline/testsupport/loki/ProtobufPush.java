package io.sightline.testsupport.loki;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import org.xerial.snappy.Snappy;

/**
 * Reads a protobuf push body: one raw snappy block holding Loki's {@code logproto.PushRequest}. The messages are
 * read field by field with protobuf's wire reader, using the field numbers of Loki's {@code pkg/push/push.proto},
 * not with classes generated from the sidecar's own copy of that file: a wrong field number or type in the
 * sidecar's {@code push.proto} then fails the sidecar's tests instead of being mirrored by the fake.
 */
final class ProtobufPush {

    // PushRequest
    private static final int STREAMS = 1;
    // StreamAdapter
    private static final int LABELS = 1;
    private static final int ENTRIES = 2;
    // EntryAdapter
    private static final int TIMESTAMP = 1;
    private static final int LINE = 2;
    private static final int STRUCTURED_METADATA = 3;
    // google.protobuf.Timestamp
    private static final int SECONDS = 1;
    private static final int NANOS = 2;
    // LabelPairAdapter
    private static final int NAME = 1;
    private static final int VALUE = 2;

    private ProtobufPush() {}

    /** @throws IOException when the body is no snappy block or no PushRequest */
    static List<Entry> decode(byte[] snappyBlock) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(Snappy.uncompress(snappyBlock));
        List<Entry> entries = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (isLengthDelimited(tag, STREAMS)) {
                readStream(in.readBytes().newCodedInput(), entries);
            } else {
                in.skipField(tag);
            }
        }
        return entries;
    }

    /**
     * The number of entries, for counting at little cost: the block is decompressed and its fields walked, each entry
     * skipped by its length without reading it (no object per entry).
     *
     * @throws IOException when the body is no snappy block or no PushRequest
     */
    static long countEntries(byte[] snappyBlock) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(Snappy.uncompress(snappyBlock));
        long count = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (isLengthDelimited(tag, STREAMS)) {
                int outer = in.pushLimit(in.readRawVarint32());
                count += countStreamEntries(in);
                in.popLimit(outer);
            } else {
                in.skipField(tag);
            }
        }
        return count;
    }

    private static long countStreamEntries(CodedInputStream in) throws IOException {
        long count = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (isLengthDelimited(tag, ENTRIES)) {
                count++;
            }
            in.skipField(tag);
        }
        return count;
    }

    private static void readStream(CodedInputStream in, List<Entry> into) throws IOException {
        String selector = null;
        List<CodedInputStream> rawEntries = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (isLengthDelimited(tag, LABELS)) {
                selector = in.readStringRequireUtf8();
            } else if (isLengthDelimited(tag, ENTRIES)) {
                rawEntries.add(in.readBytes().newCodedInput());
            } else {
                in.skipField(tag);
            }
        }
        if (selector == null) {
            throw new InvalidProtocolBufferException("a stream without labels");
        }
        Map<String, String> labels = LabelSelector.parse(selector);
        for (CodedInputStream entry : rawEntries) {
            into.add(readEntry(entry, labels));
        }
    }

    private static Entry readEntry(CodedInputStream in, Map<String, String> labels) throws IOException {
        long nanos = 0;
        String line = "";
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (isLengthDelimited(tag, TIMESTAMP)) {
                nanos = readTimestamp(in.readBytes().newCodedInput());
            } else if (isLengthDelimited(tag, LINE)) {
                line = in.readStringRequireUtf8();
            } else if (isLengthDelimited(tag, STRUCTURED_METADATA)) {
                readLabelPair(in.readBytes().newCodedInput(), metadata);
            } else {
                in.skipField(tag);
            }
        }
        return new Entry(labels, nanos, line, Collections.unmodifiableMap(metadata));
    }

    private static long readTimestamp(CodedInputStream in) throws IOException {
        long seconds = 0;
        int nanos = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == makeTag(SECONDS, WireFormat.WIRETYPE_VARINT)) {
                seconds = in.readInt64();
            } else if (tag == makeTag(NANOS, WireFormat.WIRETYPE_VARINT)) {
                nanos = in.readInt32();
            } else {
                in.skipField(tag);
            }
        }
        return seconds * 1_000_000_000L + nanos;
    }

    private static void readLabelPair(CodedInputStream in, Map<String, String> into) throws IOException {
        String name = "";
        String value = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (isLengthDelimited(tag, NAME)) {
                name = in.readStringRequireUtf8();
            } else if (isLengthDelimited(tag, VALUE)) {
                value = in.readStringRequireUtf8();
            } else {
                in.skipField(tag);
            }
        }
        into.put(name, value);
    }

    /** A length-delimited field (string, bytes or message) with this number. */
    private static boolean isLengthDelimited(int tag, int field) {
        return tag == makeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    }

    private static int makeTag(int field, int wireType) {
        return field << 3 | wireType;
    }
}
