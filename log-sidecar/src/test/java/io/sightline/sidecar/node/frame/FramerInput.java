package io.sightline.sidecar.node.frame;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helper: feeds a file's bytes line by line (as a line splitter would) and keeps copies of the messages. */
final class FramerInput {

    /** A copy of a {@link FramedMessage}. */
    record Message(
            String text,
            byte[] bytes,
            LogStream stream,
            long timeNanos,
            long startOffset,
            long endOffset,
            boolean truncated,
            boolean unterminated) {}

    private final ContainerLogFramer framer;
    final List<Message> messages = new ArrayList<>();
    private final FrameHandler collect = m -> messages.add(copy(m));
    private long offset;

    FramerInput(ContainerLogFramer framer) {
        this.framer = framer;
    }

    static Message copy(FramedMessage m) {
        byte[] bytes = new byte[m.length()];
        System.arraycopy(m.bytes(), m.offset(), bytes, 0, m.length());
        return new Message(
                m.text(),
                bytes,
                m.stream(),
                m.runtimeTimeNanos(),
                m.startOffset(),
                m.endOffset(),
                m.truncated(),
                m.unterminated());
    }

    /** Feeds every complete line of {@code file} (a trailing piece without newline is ignored, as a tailer holds it). */
    FramerInput feed(byte[] file) {
        int lineStart = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n') {
                framer.line(file, lineStart, i - lineStart, offset + lineStart, offset + i + 1, false, collect);
                lineStart = i + 1;
            }
        }
        offset += file.length;
        return this;
    }

    FramerInput feed(String file) {
        return feed(file.getBytes(StandardCharsets.UTF_8));
    }

    FramerInput flush() {
        framer.flush(collect);
        return this;
    }

    List<String> texts() {
        return messages.stream().map(Message::text).toList();
    }

    /** CRI lines for {@code text}, cut into {@code P} fragments of at most {@code fragment} bytes and a final {@code F}. */
    static byte[] criSplit(String time, String stream, byte[] text, int fragment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        do {
            int n = Math.min(fragment, text.length - at);
            boolean last = at + n == text.length;
            out.writeBytes((time + " " + stream + " " + (last ? "F" : "P") + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(text, at, n);
            out.write('\n');
            at += n;
        } while (at < text.length);
        return out.toByteArray();
    }
}
