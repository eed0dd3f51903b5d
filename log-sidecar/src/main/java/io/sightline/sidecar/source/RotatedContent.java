package io.sightline.sidecar.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The rest of a file's content found elsewhere, read by offset in that content: the plain copy copytruncate left
 * ({@link #plain}), or a rotation the kubelet compressed ({@link CompressedRotation}).
 */
interface RotatedContent extends Closeable {

    /** Whether the content ends at {@code position} (nothing more can be read from there). */
    boolean endsAt(long position) throws IOException;

    /** Reads up to {@code length} bytes of the content at {@code position} into {@code buffer[0..]}; 0 at its end. */
    int read(byte[] buffer, long position, int length) throws IOException;

    /** A plain file, read as it is. */
    static RotatedContent plain(FileChannel channel) {
        return new RotatedContent() {
            @Override
            public boolean endsAt(long position) throws IOException {
                return position >= channel.size();
            }

            @Override
            public int read(byte[] buffer, long position, int length) throws IOException {
                return readFully(channel, buffer, position, (int) Math.min(length, channel.size() - position));
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** Reads {@code length} bytes at {@code position} unless the file ends first; returns how many were read. */
    static int readFully(FileChannel from, byte[] buffer, long position, int length) throws IOException {
        if (length <= 0) {
            return 0;
        }
        ByteBuffer target = ByteBuffer.wrap(buffer, 0, length);
        while (target.hasRemaining()) {
            int n = from.read(target, position + target.position());
            if (n <= 0) {
                break;
            }
        }
        return target.position();
    }
}
