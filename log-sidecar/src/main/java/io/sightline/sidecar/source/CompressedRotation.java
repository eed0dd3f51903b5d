package io.sightline.sidecar.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.function.Consumer;

import io.sightline.sidecar.node.gz.GzipReplay;

/**
 * A rotation the kubelet gzip-compressed while it was not being read, read by uncompressed offset (those of the
 * plain file the checkpoint recorded). Reading on is streaming. Reading from an earlier offset again (the intake
 * refused a record) is served from the last {@value #RECENT_BYTES} bytes returned, kept for that; only from further
 * back is the file decompressed again from its start. Damage ends the content where it was found and is reported
 * once, however often the end is read again.
 */
final class CompressedRotation implements RotatedContent {

    /**
     * How far back a read again is served from memory: a refusal rewinds to the refused record, which is in the last
     * read unless that read was larger than the room the bound had (at least 4 KiB) or the record a line held longer.
     */
    static final int RECENT_BYTES = 64 << 10;

    private final FileChannel channel;
    private final Consumer<GzipReplay.Damage> damaged;
    private GzipReplay replay;
    /** Where the content ended (its end, or damage), once known; -1 before. */
    private long end = -1;

    private boolean damageReported;
    private long inflatedBefore;
    /** The last bytes returned, ending at the replay's position; grown up to {@link #RECENT_BYTES} as reads need. */
    private byte[] recent = new byte[0];

    private int recentLength;

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
        if (replay != null && position < replay.position() && replay.position() - position <= recentLength) {
            int from = recentLength - (int) (replay.position() - position);
            int n = Math.min(length, recentLength - from);
            System.arraycopy(recent, from, buffer, 0, n);
            return n;
        }
        if (replay == null || replay.position() != position) {
            closeReplay();
            replay = GzipReplay.open(channel, position);
        }
        int n = replay.read(buffer, 0, length);
        if (n > 0) {
            remember(buffer, n);
            return n;
        }
        end = replay.position();
        if (replay.damage().isPresent() && !damageReported) {
            damageReported = true;
            damaged.accept(replay.damage().get());
        }
        return 0;
    }

    /** Uncompressed bytes decompressed so far, skipped ones included (what re-reading costs). */
    long inflatedBytes() {
        return inflatedBefore + (replay == null ? 0 : replay.position());
    }

    @Override
    public void close() throws IOException {
        try {
            closeReplay();
        } finally {
            recent = new byte[0];
            channel.close();
        }
    }

    /** Keeps the last {@link #RECENT_BYTES} of what was returned, {@code buffer[0..length)} being the newest. */
    private void remember(byte[] buffer, int length) {
        int keep = Math.min(RECENT_BYTES, recentLength + length);
        int fromBuffer = Math.min(length, keep);
        int fromOld = keep - fromBuffer;
        if (recent.length < keep) {
            recent = Arrays.copyOf(recent, Math.min(RECENT_BYTES, Math.max(keep, 2 * recent.length)));
        }
        System.arraycopy(recent, recentLength - fromOld, recent, 0, fromOld);
        System.arraycopy(buffer, length - fromBuffer, recent, fromOld, fromBuffer);
        recentLength = keep;
    }

    private void closeReplay() throws IOException {
        if (replay != null) {
            inflatedBefore += replay.position();
            replay.close();
            replay = null;
            recentLength = 0;
        }
    }
}
