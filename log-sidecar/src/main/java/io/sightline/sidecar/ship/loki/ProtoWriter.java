package io.sightline.sidecar.ship.loki;

import java.util.Arrays;

import com.google.protobuf.WireFormat;

/**
 * Protobuf wire format written into one array that is reused from push to push. A length-delimited
 * field whose length is not known up front is opened with {@link #beginMessage}, which reserves the
 * longest length varint, and closed with {@link #endMessage}, which writes the length and moves the
 * (short) body back over the unused reserve: one pass over the content, no sizing pass, no copies of
 * the whole push. Not thread-safe: one encoder per sender.
 */
final class ProtoWriter {

    /** A varint of a 32-bit length takes at most 5 bytes. */
    private static final int RESERVED = 5;

    /** A buffer grown beyond this by an unusually large push is given back after it. */
    private static final int KEPT_CAPACITY = 4 << 20;

    private byte[] buffer = new byte[64 << 10];
    private int position;

    void reset() {
        if (buffer.length > KEPT_CAPACITY) {
            buffer = new byte[64 << 10];
        }
        position = 0;
    }

    byte[] array() {
        return buffer;
    }

    int length() {
        return position;
    }

    void tag(int field, int wireType) {
        varint((field << 3) | wireType);
    }

    void varint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buffer[position++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[position++] = (byte) value;
    }

    /** A length-delimited field holding {@code bytes}. */
    void bytesField(int field, byte[] bytes) {
        tag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        varint(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, position, bytes.length);
        position += bytes.length;
    }

    /** Raw bytes already in wire format, {@code bytes[0, length)} (e.g. a field encoded once and reused). */
    void raw(byte[] bytes, int length) {
        ensure(length);
        System.arraycopy(bytes, 0, buffer, position, length);
        position += length;
    }

    /** Opens a length-delimited field; returns the mark to pass to {@link #endMessage}. */
    int beginMessage(int field) {
        tag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        ensure(RESERVED);
        position += RESERVED;
        return position;
    }

    void endMessage(int mark) {
        int length = position - mark;
        int lengthBytes = varintSize(length);
        int start = mark - RESERVED;
        System.arraycopy(buffer, mark, buffer, start + lengthBytes, length);
        int p = start;
        int value = length;
        while ((value & ~0x7F) != 0) {
            buffer[p++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[p] = (byte) value;
        position = start + lengthBytes + length;
    }

    static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    private void ensure(int more) {
        if (position + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
        }
    }
}
