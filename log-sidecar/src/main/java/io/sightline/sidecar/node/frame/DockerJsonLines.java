package io.sightline.sidecar.node.frame;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sightline.sidecar.parse.Rfc3339Timestamps;

/**
 * Parses Docker's json-file lines, {@code {"log":"...","stream":"stdout","time":"..."}} (other fields,
 * such as {@code attrs}, are skipped). {@code log} is unescaped into UTF-8 bytes (Docker escapes
 * control characters and {@code <>&}, and writes invalid UTF-8 as U+FFFD); a {@code log} without a
 * trailing newline is a fragment of a longer line (Docker splits at 16 KiB). All three fields must be
 * present, strings, the stream {@code stdout}/{@code stderr} and the time readable, and nothing may
 * follow the object; otherwise the line is not json-file.
 */
final class DockerJsonLines {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int MAX_SHORT_VALUE = 64;

    private final Rfc3339Timestamps timestamps;
    private byte[] message = new byte[256];
    private final byte[] shortValue = new byte[MAX_SHORT_VALUE];

    DockerJsonLines(Rfc3339Timestamps timestamps) {
        this.timestamps = timestamps;
    }

    boolean parse(byte[] b, int from, int to, ParsedLine out) {
        int messageLength = -1;
        LogStream stream = null;
        long timeNanos = Rfc3339Timestamps.INVALID;
        try (JsonParser parser = JSON.createParser(b, from, to - from)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "log" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            return false;
                        }
                        messageLength =
                                encodeUtf8(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    }
                    case "stream" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            return false;
                        }
                        int length = ascii(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                        stream = length < 0 ? null : LogStream.of(shortValue, 0, length);
                    }
                    case "time" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            return false;
                        }
                        int length = ascii(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                        timeNanos = length < 0 ? Rfc3339Timestamps.INVALID : timestamps.parse(shortValue, 0, length);
                    }
                    default -> parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return false;
            }
        } catch (IOException e) {
            // not JSON, or JSON past Jackson's limits (nesting, sizes): not a json-file line
            return false;
        }
        if (messageLength < 0 || stream == null || timeNanos == Rfc3339Timestamps.INVALID) {
            return false;
        }
        boolean partial = messageLength == 0 || message[messageLength - 1] != '\n';
        out.set(stream, timeNanos, partial, message, 0, partial ? messageLength : messageLength - 1);
        return true;
    }

    /** Copies a short ASCII value (stream, time) into {@link #shortValue}; its length, or -1 when too long or not ASCII. */
    private int ascii(char[] chars, int offset, int length) {
        if (length > MAX_SHORT_VALUE) {
            return -1;
        }
        for (int i = 0; i < length; i++) {
            char c = chars[offset + i];
            if (c > 0x7f) {
                return -1;
            }
            shortValue[i] = (byte) c;
        }
        return length;
    }

    /** UTF-16 to UTF-8 into {@link #message}; an unpaired surrogate becomes U+FFFD. */
    private int encodeUtf8(char[] chars, int offset, int length) {
        if (message.length < length * 3) {
            message = new byte[Math.max(length * 3, message.length * 2)];
        } else if (message.length > (64 << 10) && length * 3 <= (64 << 10)) {
            message = new byte[64 << 10]; // give back the memory of an unusually long line
        }
        byte[] out = message;
        int n = 0;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xc0 | (c >> 6));
                out[n++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                int cp = Character.toCodePoint(c, chars[++i]);
                out[n++] = (byte) (0xf0 | (cp >> 18));
                out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                out[n++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                char bmp = Character.isSurrogate(c) ? '\ufffd' : c;
                out[n++] = (byte) (0xe0 | (bmp >> 12));
                out[n++] = (byte) (0x80 | ((bmp >> 6) & 0x3f));
                out[n++] = (byte) (0x80 | (bmp & 0x3f));
            }
        }
        return n;
    }
}
