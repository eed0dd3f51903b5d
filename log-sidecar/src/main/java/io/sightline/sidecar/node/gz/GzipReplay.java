package io.sightline.sidecar.node.gz;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads a rotated container log that the kubelet gzip-compressed while the agent was not reading it,
 * from an offset in the uncompressed bytes (the checkpoint of the file it was before compression).
 * Offsets are uncompressed throughout, so the lines read continue exactly where the plain file was
 * left. A damaged file (truncated, corrupt) never throws from {@link #read}: reading ends and
 * {@link #damage()} says where, why and how many bytes are lost, so the caller can count them as
 * lost before read. Memory: the inflater's window plus two small buffers, released by {@link #close}.
 */
public final class GzipReplay implements Closeable {

    /** Where reading of a damaged file stopped; {@code lostBytes} is -1 when the file cannot tell. */
    public record Damage(long position, long lostBytes, long unreadCompressedBytes, String reason) {}

    private static final int BUFFER = 8192;
    private static final int TRAILER = 8; // CRC32, then ISIZE: the uncompressed size modulo 2^32

    private final FileChannel channel;
    private final long compressedSize;
    private final long resumeOffset;
    private final CountingInputStream compressed;
    private final GZIPInputStream gzip;
    private long position;
    private boolean ended;
    private Damage damage;

    private GzipReplay(
            FileChannel channel,
            long compressedSize,
            long resumeOffset,
            CountingInputStream compressed,
            GZIPInputStream gzip) {
        this.channel = channel;
        this.compressedSize = compressedSize;
        this.resumeOffset = resumeOffset;
        this.compressed = compressed;
        this.gzip = gzip;
    }

    /**
     * Reads the gzip file open as {@code channel} (by position: the channel's own position is not used) from
     * {@code uncompressedOffset}. The channel stays the caller's: {@link #close} leaves it open, so a replay can be
     * opened again on it from an earlier offset, even after the kubelet removed the file. Throws only when the channel
     * cannot be read at all; a file that is not gzip, or damaged before the offset, opens as damaged.
     */
    public static GzipReplay open(FileChannel channel, long uncompressedOffset) throws IOException {
        if (uncompressedOffset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + uncompressedOffset);
        }
        long size = channel.size();
        CountingInputStream compressed =
                new CountingInputStream(new BufferedInputStream(new ChannelInput(channel), BUFFER));
        GZIPInputStream gzip;
        try {
            gzip = new GZIPInputStream(compressed, BUFFER);
        } catch (IOException e) {
            GzipReplay replay = new GzipReplay(channel, size, uncompressedOffset, compressed, null);
            replay.damaged(e);
            return replay;
        }
        GzipReplay replay = new GzipReplay(channel, size, uncompressedOffset, compressed, gzip);
        replay.skipToResumeOffset();
        return replay;
    }

    /** Like {@link java.io.InputStream#read(byte[], int, int)}; -1 at the end, or once damage was found. */
    public int read(byte[] buffer, int offset, int length) {
        if (ended) {
            return -1;
        }
        try {
            int n = gzip.read(buffer, offset, length);
            if (n < 0) {
                ended = true;
                return -1;
            }
            position += n;
            return n;
        } catch (IOException e) {
            damaged(e);
            return -1;
        }
    }

    /** Uncompressed offset of the next byte {@link #read} returns. */
    public long position() {
        return position;
    }

    public Optional<Damage> damage() {
        return Optional.ofNullable(damage);
    }

    @Override
    public void close() throws IOException {
        ended = true;
        if (gzip != null) {
            gzip.close(); // ends the native inflater
        } else {
            compressed.close();
        }
    }

    private void skipToResumeOffset() {
        byte[] scratch = new byte[BUFFER];
        while (position < resumeOffset && !ended) {
            read(scratch, 0, (int) Math.min(scratch.length, resumeOffset - position));
        }
        if (damage == null && position < resumeOffset) {
            // the file ends before the checkpoint: nothing of it is unread (and nothing lost)
            position = resumeOffset;
        }
    }

    private void damaged(IOException e) {
        ended = true;
        long unread = Math.max(0, compressedSize - compressed.count);
        // a file cut short ends in compressed data, not in a trailer that could tell its size
        long total = e instanceof EOFException ? -1 : trailerSize(position);
        long lost = total < 0 ? -1 : Math.max(0, total - Math.max(position, resumeOffset));
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        damage = new Damage(position, lost, unread, e instanceof EOFException ? "truncated: " + reason : reason);
    }

    /**
     * The uncompressed size the gzip trailer states (modulo 2^32, completed from what was read), or -1 when
     * it cannot be a real one. The kubelet writes one gzip member per file, whose trailer covers all of it.
     */
    private long trailerSize(long readSoFar) {
        if (compressedSize < 18 + TRAILER) { // shorter than the smallest gzip member
            return -1;
        }
        try {
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN);
            while (trailer.hasRemaining()) {
                if (channel.read(trailer, compressedSize - TRAILER + trailer.position()) < 0) {
                    return -1;
                }
            }
            long moduloSize = Integer.toUnsignedLong(trailer.getInt(4));
            long size = (readSoFar & ~0xFFFF_FFFFL) | moduloSize;
            if (size < readSoFar) {
                size += 1L << 32;
            }
            // deflate expands at most ~1032:1; a size beyond that for the whole file is not a real trailer
            return size <= compressedSize * 1032 ? size : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The channel's bytes from its start, read by position; closing it leaves the channel open (the caller's). */
    private static final class ChannelInput extends InputStream {

        private final FileChannel channel;
        private long position;

        ChannelInput(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, len), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }
    }

    /** Counts the compressed bytes consumed, to say how much of a damaged file was never decoded. */
    private static final class CountingInputStream extends FilterInputStream {

        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
