package io.sightline.testsupport.loki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.protobuf.CodedOutputStream;
import org.xerial.snappy.Snappy;

/** Push bodies as a Loki client writes them: logproto messages by their field numbers in Loki's push.proto. */
final class PushBodies {

    private PushBodies() {}

    /** One stream with one entry, snappy-compressed protobuf. */
    static byte[] protobuf(String selector, long seconds, int nanos, String line, Map<String, String> metadata)
            throws IOException {
        return push(List.of(stream(selector, List.of(entry(seconds, nanos, line, metadata)))));
    }

    /** A stream per selector with its lines (timestamps {@code seconds}, nanos 0, 1, …), snappy-compressed protobuf. */
    static byte[] protobuf(long seconds, Map<String, List<String>> linesBySelector) throws IOException {
        List<byte[]> streams = new ArrayList<>();
        for (Map.Entry<String, List<String>> stream : linesBySelector.entrySet()) {
            List<byte[]> entries = new ArrayList<>();
            for (int i = 0; i < stream.getValue().size(); i++) {
                entries.add(entry(seconds, i, stream.getValue().get(i), Map.of()));
            }
            streams.add(stream(stream.getKey(), entries));
        }
        return push(streams);
    }

    private static byte[] entry(long seconds, int nanos, String line, Map<String, String> metadata) throws IOException {
        byte[] timestamp = message(out -> {
            out.writeInt64(1, seconds);
            out.writeInt32(2, nanos);
        });
        return message(out -> {
            out.writeByteArray(1, timestamp);
            out.writeString(2, line);
            for (Map.Entry<String, String> pair : metadata.entrySet()) {
                out.writeByteArray(3, message(p -> {
                    p.writeString(1, pair.getKey());
                    p.writeString(2, pair.getValue());
                }));
            }
        });
    }

    private static byte[] stream(String selector, List<byte[]> entries) throws IOException {
        return message(out -> {
            out.writeString(1, selector);
            for (byte[] entry : entries) {
                out.writeByteArray(2, entry);
            }
            out.writeUInt64(3, 0); // hash: computed by Loki, sent as 0
        });
    }

    private static byte[] push(List<byte[]> streams) throws IOException {
        return Snappy.compress(message(out -> {
            for (byte[] stream : streams) {
                out.writeByteArray(1, stream);
            }
        }));
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
    }
}
