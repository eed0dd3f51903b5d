package io.sightline.collector.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real file channel on a disk with {@code free} bytes left, failing as the kernel does on a full disk: a write
 * takes what fits and returns the shorter count, the next one fails with "No space left on device" (ENOSPC).
 * There is no way to fill a real file system on these machines without privileges, hence this stand-in.
 */
final class FullDisk extends FileChannel {

    private final FileChannel file;
    private final AtomicLong free;

    FullDisk(FileChannel file, AtomicLong free) {
        this.file = file;
        this.free = free;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        long left = free.get();
        if (left <= 0) {
            throw new IOException("No space left on device");
        }
        int n = (int) Math.min(src.remaining(), left);
        ByteBuffer part = src.slice().limit(n);
        int written = file.write(part);
        src.position(src.position() + written);
        free.addAndGet(-written);
        return written;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return file.read(dst, position);
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public int read(ByteBuffer dst) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int write(ByteBuffer src, long position) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FileChannel truncate(long size) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException();
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
