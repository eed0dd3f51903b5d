package io.sightline.sidecar.ship.loki;

import java.util.Arrays;

import com.google.protobuf.WireFormat;

/**
 * Protobuf wire format written into one array that is reused from push to push. A length-delimited
 * field whose length is not known up front is opened with {@link #beginMessage}, which reserves the
 * bytes its length will most likely take, and closed with {@link #endMessage}, which writes the length
 * and moves the body only when the guess was wrong: one pass over the content, no sizing pass. Not
 * thread-safe: one encoder per sender.
 */
final class ProtoWriter {

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

    /** Small enough for C1 to inline the common case: one byte (every tag here, short lengths). */
    void varint(long value) {
        if ((value & ~0x7FL) == 0 && position < buffer.length) {
            buffer[position++] = (byte) value;
            return;
        }
        longVarint(value);
    }

    private void longVarint(long value) {
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

    /**
     * Opens a length-delimited field, leaving {@code reserve} bytes (1 to 5) for its length: the number the length
     * will most likely take, so that {@link #endMessage} moves nothing. Returns the mark to pass to it.
     */
    int beginMessage(int field, int reserve) {
        tag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        ensure(reserve);
        position += reserve;
        return position;
    }

    /** Writes the length of the field {@link #beginMessage} opened with the same {@code reserve}. */
    void endMessage(int mark, int reserve) {
        int length = position - mark;
        int lengthBytes = varintSize(length);
        int start = mark - reserve;
        if (lengthBytes != reserve) {
            // the body moves over the unused reserve, or on to make room for a longer length
            ensure(lengthBytes - reserve);
            System.arraycopy(buffer, mark, buffer, start + lengthBytes, length);
        }
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
