package io.sightline.sidecar.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.function.Consumer;

import io.sightline.sidecar.node.gz.GzipReplay;

/**
 * A rotation the kubelet gzip-compressed while it was not being read, read by uncompressed offset (those of the
 * plain file the checkpoint recorded). Reading on is streaming; reading from an earlier offset again (the intake
 * refused a record) decompresses from the start up to it. Damage ends the content where it was found and is
 * reported once, however often the end is read again.
 */
final class CompressedRotation implements RotatedContent {

    private final FileChannel channel;
    private final Consumer<GzipReplay.Damage> damaged;
    private GzipReplay replay;
    /** Where the content ended (its end, or damage), once known; -1 before. */
    private long end = -1;

    private boolean damageReported;

    /** {@code channel}: the open {@code .gz} file (read by position, closed with this); {@code damaged}: told once. */
    CompressedRotation(FileChannel channel, Consumer<GzipReplay.Damage> damaged) {
        this.channel = channel;
        this.damaged = damaged;
    }

    @Override
    public boolean endsAt(long position) {
        return end >= 0 && position >= end;
    }

    @Override
    public int read(byte[] buffer, long position, int length) throws IOException {
        if (endsAt(position)) {
            return 0;
        }
        if (replay == null || replay.position() != position) {
            closeReplay();
            replay = GzipReplay.open(channel, position);
        }
        int n = replay.read(buffer, 0, length);
        if (n > 0) {
            return n;
        }
        end = replay.position();
        if (replay.damage().isPresent() && !damageReported) {
            damageReported = true;
            damaged.accept(replay.damage().get());
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        try {
            closeReplay();
        } finally {
            channel.close();
        }
    }

    private void closeReplay() throws IOException {
        if (replay != null) {
            replay.close();
            replay = null;
        }
    }
}
