package io.sightline.sidecar.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.sightline.sidecar.checkpoint.Checkpoints;
import io.sightline.sidecar.checkpoint.FileProgress;

/**
 * Reads one file (one inode), chunk by chunk, into records, and can be driven alone with a plain
 * directory and no threads: {@link #poll} reads what the caller allows and reports what it found.
 * <ul>
 *   <li>It knows the file's current generation ({@link FileIdentity}): after a truncation in place
 *       (copytruncate) the same inode holds new content, read from 0 as the next generation.</li>
 *   <li>It reports a truncation ({@link Result#TRUNCATED}: the file shrank, or its first bytes changed)
 *       and lets its owner find the rotated copy ({@link #drainCopy}) or count the loss
 *       ({@link #nextGeneration}).</li>
 *   <li>It holds an unfinished last line and a record being joined (their bytes count against the
 *       in-flight bound) and ships them after their timeouts.</li>
 *   <li>Renamed away ({@link #rotated}), it reads on until the file has not grown for the rotate-wait,
 *       so lines the application writes through its old handle after the rename arrive.</li>
 *   <li>Its channel may be closed while it is idle ({@link #closeIdle}) and reopened by its owner
 *       ({@link #reopen}) once the file grows, checked by identity.</li>
 *   <li>It can replay a rotation the kubelet compressed while nothing read it ({@link #replay}): the content of a
 *       checkpointed generation, from its offset, under that generation's identity, then it is done.</li>
 * </ul>
 * When the intake refuses a record, the reader reads again from that record later: nothing is lost,
 * and nothing read but not taken is kept in memory.
 */
final class FileReader implements Closeable {

    /** What one {@link #poll} found. */
    enum Result {
        /** Bytes were read. */
        READ,
        /** Nothing new (or nothing allowed to be read); timeouts checked. */
        IDLE,
        /** There is more to read, but the intake is full: read again later. */
        STALLED,
        /** The file is shorter than what was read, or its first bytes changed: truncated in place. */
        TRUNCATED,
        /** Renamed away and drained: closed, done. */
        FINISHED
    }

    /** How a reader reads; the same for every file. */
    record Settings(
            Duration pollInterval,
            Duration partialLineTimeout,
            Duration multilineTimeout,
            Duration rotateWait,
            int chunkBytes) {}

    private final Settings settings;
    private final String input;
    private final FileKey key;
    private final Checkpoints checkpoints;
    private final LineFraming framing;
    private final CounterDataPoint bytesRead;
    private final LongSupplier wallNanos;
    private final byte[] buffer;
    private Path path;
    private FileChannel channel;
    private FileIdentity identity;
    private FileProgress progress;
    private int nextGeneration;
    private long offset;
    private long countedUpTo;
    private long sizeSeen;
    private long lastGrowthNanos;
    private long lastVerifiedNanos;
    private long rotatedAtNanos;
    /** The listing saw the file shrink while its channel was closed: truncated, to be reopened and checked. */
    private boolean shrankWhileClosed;

    private boolean rotated;
    private RotatedContent copy;
    /** Replaying a compressed rotation: done when its content ends. */
    private boolean replaying;

    FileReader(
            Settings settings,
            String input,
            Path path,
            FileKey key,
            FileChannel channel,
            Checkpoints checkpoints,
            LineFraming framing,
            CounterDataPoint bytesRead,
            byte[] buffer,
            LongSupplier wallNanos,
            long nowNanos) {
        this.settings = settings;
        this.input = input;
        this.path = path;
        this.key = key;
        this.channel = channel;
        this.checkpoints = checkpoints;
        this.framing = framing;
        this.bytesRead = bytesRead;
        this.buffer = buffer;
        this.wallNanos = wallNanos;
        this.lastGrowthNanos = nowNanos;
        this.lastVerifiedNanos = nowNanos;
    }

    /** Starts reading generation {@code identity} at {@code startOffset}. */
    void begin(FileIdentity identity, long startOffset) {
        begin(identity, startOffset, path);
    }

    private void begin(FileIdentity identity, long startOffset, Path recordedAs) {
        this.identity = identity;
        this.offset = startOffset;
        this.countedUpTo = startOffset;
        this.sizeSeen = startOffset;
        this.progress = checkpoints.track(identity.id(), input, recordedAs, startOffset);
        framing.start(identity.id(), progress, startOffset);
    }

    /**
     * Reads {@code compressed}, the content of generation {@code identity} (recorded in the checkpoint as
     * {@code recordedAs}, {@code recordedSize} bytes when last seen) from {@code startOffset} to its end, then
     * finishes. The progress stays that generation's, under its plain name: a restart in the middle finds the same
     * entry and replays again from what was acknowledged. The reader's own path and key are the compressed file's.
     */
    void replay(
            FileIdentity identity, long startOffset, Path recordedAs, long recordedSize, RotatedContent compressed) {
        begin(identity, startOffset, recordedAs);
        observedSize(Math.max(startOffset, recordedSize));
        copy = compressed;
        replaying = true;
        rotated = true;
    }

    /**
     * Reads at most {@code maxBytes} (0: none, but size, truncation and timeouts are still checked).
     * {@code nowNanos} is the monotonic clock.
     */
    Result poll(long nowNanos, long maxBytes) throws IOException {
        if (channel == null) {
            // closed while idle: its owner reopens it when the listing shows growth; held lines still time out
            return shipHeldAfterTimeouts(nowNanos) ? Result.IDLE : Result.STALLED;
        }
        if (copy != null) {
            return pollCopy(nowNanos, maxBytes);
        }
        long size = channel.size();
        if (identity == null) {
            // truncated earlier: the next generation starts once there is content to fingerprint
            if (size == 0) {
                return rotated && quietFor(nowNanos) >= settings.rotateWait().toNanos() ? finish() : Result.IDLE;
            }
            begin(FileIdentity.firstSight(key, channel, size, nextGeneration), 0);
        }
        observedSize(size);
        if (size < offset) {
            return Result.TRUNCATED;
        }
        if (size == offset) {
            return idle(nowNanos);
        }
        if (maxBytes <= 0) {
            return Result.STALLED;
        }
        long at = offset;
        int read = RotatedContent.readFully(
                channel, buffer, at, (int) Math.min(Math.min(settings.chunkBytes(), maxBytes), size - at));
        if (read <= 0) {
            return idle(nowNanos);
        }
        // checked after reading: if the file was truncated before the read, these bytes are new content
        if (!identity.sameContent(channel)) {
            return Result.TRUNCATED;
        }
        return feed(read, at, nowNanos) ? Result.READ : Result.STALLED;
    }

    /** Reads on from the rotated copy of a truncated file (copytruncate), then starts the next generation. */
    void drainCopy(FileChannel rotatedCopy) {
        this.copy = RotatedContent.plain(rotatedCopy);
    }

    private Result pollCopy(long nowNanos, long maxBytes) throws IOException {
        if (!copy.endsAt(offset)) {
            if (maxBytes <= 0) {
                return Result.STALLED;
            }
            long at = offset;
            int read = copy.read(buffer, at, (int) Math.min(settings.chunkBytes(), maxBytes));
            if (read > 0) {
                if (replaying) {
                    observedSize(Math.max(
                            sizeSeen, at + read)); // a compressed rotation's size is known only as far as it is read
                }
                return feed(read, at, nowNanos) ? Result.READ : Result.STALLED;
            }
        }
        if (replaying) {
            return finish();
        }
        if (!flushHeld(false)) {
            return Result.STALLED;
        }
        closeQuietly(copy);
        copy = null;
        startNextGeneration(nowNanos);
        return Result.READ;
    }

    /**
     * The truncated content's unread bytes are gone (no rotated copy): what is held is shipped even
     * beyond the bound (it cannot be read again), and the next generation starts.
     * Returns how many bytes were written but never read.
     */
    long nextGeneration(long nowNanos) {
        long lost = Math.max(0, progress.size() - offset);
        flushHeld(true);
        startNextGeneration(nowNanos);
        return lost;
    }

    private void startNextGeneration(long nowNanos) {
        progress.close();
        nextGeneration = identity.generation() + 1;
        identity = null;
        offset = 0;
        countedUpTo = 0;
        lastGrowthNanos = nowNanos;
    }

    /** At the end of the data: detect a same-size truncation, ship what waited long enough, finish a rotated file. */
    private Result idle(long nowNanos) throws IOException {
        if (nowNanos - lastVerifiedNanos >= settings.pollInterval().toNanos()) {
            lastVerifiedNanos = nowNanos;
            // truncated and rewritten to exactly the old size: only the first bytes tell
            if (!identity.sameContent(channel)) {
                return Result.TRUNCATED;
            }
        }
        if (!shipHeldAfterTimeouts(nowNanos)) {
            return Result.STALLED;
        }
        if (rotated && quietFor(nowNanos) >= settings.rotateWait().toNanos()) {
            return finish();
        }
        return Result.IDLE;
    }

    /** Ships an unfinished line, and a record being joined, that waited their timeouts; false if refused. */
    private boolean shipHeldAfterTimeouts(long nowNanos) {
        if (framing.heldWouldBeRefused()) {
            return false; // kept: tried again once the bound has room
        }
        long quiet = quietFor(nowNanos);
        if (framing.hasPartial() && quiet >= settings.partialLineTimeout().toNanos()) {
            if (!framing.flushPartial(offset, wallNanos.getAsLong(), false)) {
                rewind();
                return false;
            }
        }
        if (framing.hasPending() && quiet >= settings.multilineTimeout().toNanos()) {
            if (!framing.flushPending(false)) {
                rewind();
                return false;
            }
        }
        return true;
    }

    /** A rotated file, drained and quiet for the rotate-wait: what is held is shipped and the file closed. */
    private Result finish() {
        if (identity != null) {
            if (!flushHeld(false)) {
                return Result.STALLED;
            }
            progress.close();
        }
        close();
        return Result.FINISHED;
    }

    private boolean flushHeld(boolean force) {
        if (framing.flushPartial(offset, wallNanos.getAsLong(), force) && framing.flushPending(force)) {
            return true;
        }
        rewind();
        return false;
    }

    private boolean feed(int length, long at, long nowNanos) {
        if (at + length > countedUpTo) {
            bytesRead.inc(at + length - Math.max(at, countedUpTo));
            countedUpTo = at + length;
        }
        offset = at + length;
        lastGrowthNanos = nowNanos;
        if (framing.feed(buffer, 0, length, at, wallNanos.getAsLong())) {
            return true;
        }
        rewind();
        return false;
    }

    /** The intake refused a record: read again from it later, with nothing held. */
    private void rewind() {
        offset = framing.refusedAt();
        framing.start(identity.id(), progress, offset);
    }

    private long quietFor(long nowNanos) {
        return nowNanos - Math.max(lastGrowthNanos, rotated ? rotatedAtNanos : Long.MIN_VALUE);
    }

    private void observedSize(long size) {
        sizeSeen = size;
        progress.sizeSeen(size);
    }

    // ---- what the owner tells and asks --------------------------------------------------------------

    /** The file was renamed to a name the globs do not match (or deleted): read on for the rotate-wait. */
    void rotated(long nowNanos) {
        if (!rotated) {
            rotated = true;
            rotatedAtNanos = nowNanos;
        }
    }

    /** The file now has another name the globs match: still the same file, no longer rotated away. */
    void movedTo(Path newPath) {
        path = newPath;
        rotated = false;
        if (progress != null) {
            progress.movedTo(newPath);
        }
    }

    /** The size a listing saw (the reader may be closed): keeps the lag current while nothing is read. */
    void sizeListed(long size) {
        if (identity != null && copy == null) {
            shrankWhileClosed |= channel == null && size < sizeSeen;
            observedSize(size);
        }
    }

    /**
     * Closes the channel of an idle file (read to its end, not rotated, nothing to drain). What it holds
     * stays (it counts against the in-flight bound) and still ships after its timeout; a refused record
     * is read again after {@link #reopen}. Returns false when the file is not idle.
     */
    boolean closeIdle() {
        if (channel == null || rotated || copy != null || identity == null || sizeSeen > offset) {
            return false;
        }
        closeQuietly(channel);
        channel = null;
        return true;
    }

    /**
     * A channel for this inode again, opened by path; false when it holds other content now (truncated
     * while closed): the channel is kept, to drain the rotated copy or start the next generation.
     */
    boolean reopen(FileChannel reopened) throws IOException {
        channel = reopened;
        shrankWhileClosed = false;
        return identity == null || identity.sameContent(reopened);
    }

    /**
     * Closes the channel of a reader just begun that has no place among the open files yet; it is
     * reopened like an idle one (nothing is held yet).
     */
    void park() {
        closeQuietly(channel);
        channel = null;
    }

    /**
     * The file is gone (deleted while closed): its progress is finished, so its checkpoint entry goes once
     * what was sent is acknowledged. Returns the bytes it saw but never read.
     */
    long abandon() {
        long unread = 0;
        if (identity != null) {
            unread = Math.max(0, progress.size() - offset);
            progress.close();
        }
        close();
        return unread;
    }

    boolean isOpen() {
        return channel != null;
    }

    /**
     * Whether there is something to read: bytes beyond the offset, a copy to drain, held data to time out,
     * or a truncation while closed (its content may be in a rotated copy, even if the file stays empty).
     */
    boolean wantsToRead() {
        return copy != null || sizeSeen > offset || identity == null || shrankWhileClosed;
    }

    boolean holds() {
        return framing.holds();
    }

    boolean isReplaying() {
        return replaying;
    }

    boolean isRotated() {
        return rotated;
    }

    Path path() {
        return path;
    }

    FileKey key() {
        return key;
    }

    FileIdentity identity() {
        return identity;
    }

    long offset() {
        return offset;
    }

    @Override
    public void close() {
        framing.release();
        closeQuietly(copy);
        closeQuietly(channel);
        copy = null;
        channel = null;
    }

    private static void closeQuietly(Closeable channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a read-only channel: nothing was written, nothing to lose
            }
        }
    }
}
