package io.sightline.testsupport.loki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

import com.google.protobuf.CodedOutputStream;
import org.xerial.snappy.Snappy;

/** Push bodies as a Loki client writes them: logproto messages by their field numbers in Loki's push.proto. */
final class PushBodies {

    private PushBodies() {}

    /** One stream with one entry, snappy-compressed protobuf. */
    static byte[] protobuf(String selector, long seconds, int nanos, String line, Map<String, String> metadata)
            throws IOException {
        byte[] timestamp = message(out -> {
            out.writeInt64(1, seconds);
            out.writeInt32(2, nanos);
        });
        byte[] entry = message(out -> {
            out.writeByteArray(1, timestamp);
            out.writeString(2, line);
            for (Map.Entry<String, String> pair : metadata.entrySet()) {
                out.writeByteArray(3, message(p -> {
                    p.writeString(1, pair.getKey());
                    p.writeString(2, pair.getValue());
                }));
            }
        });
        byte[] stream = message(out -> {
            out.writeString(1, selector);
            out.writeByteArray(2, entry);
            out.writeUInt64(3, 0); // hash: computed by Loki, sent as 0
        });
        return Snappy.compress(message(out -> out.writeByteArray(1, stream)));
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
