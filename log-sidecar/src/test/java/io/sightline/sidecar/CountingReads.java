package io.sightline.sidecar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import io.sightline.sidecar.source.FileOpener;

/** Opens files as the sidecar does and counts every byte read from them (re-reads included). */
final class CountingReads implements FileOpener {

    private final AtomicLong bytes = new AtomicLong();

    @Override
    public FileChannel open(Path path, boolean followLinks) throws IOException {
        return new Counting(FileOpener.DEFAULT.open(path, followLinks));
    }

    long bytes() {
        return bytes.get();
    }

    private final class Counting extends FileChannel {
        private final FileChannel channel;

        Counting(FileChannel channel) {
            this.channel = channel;
        }

        private int counted(int n) {
            if (n > 0) {
                bytes.addAndGet(n);
            }
            return n;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return counted(channel.read(dst));
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            long n = channel.read(dsts, offset, length);
            bytes.addAndGet(Math.max(0, n));
            return n;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return counted(channel.read(dst, position));
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public FileChannel truncate(long size) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public void force(boolean metaData) throws IOException {
            channel.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException("not used by the sidecar");
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException("not used by the sidecar");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException("not used by the sidecar");
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException("not used by the sidecar");
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }
    }
}
