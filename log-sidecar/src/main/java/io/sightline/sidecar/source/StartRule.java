package io.sightline.sidecar.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.Set;

import io.sightline.sidecar.checkpoint.CheckpointStore;
import io.sightline.sidecar.checkpoint.Checkpoints;

/**
 * Where reading a file seen for the first time (in this run, under this name) starts:
 * <ol>
 *   <li>a file this run drained already (a rotated name the globs also match): the same content goes
 *       on from where it ended, and is skipped if it did not grow; new content in that inode is the
 *       next generation, from 0;</li>
 *   <li>a file of the previous run's checkpoint (same device, inode and first bytes): its offset;</li>
 *   <li>otherwise a new file: from the start, except on the very first start ever (no checkpoint)
 *       with {@code SIGHTLINE_READ_FROM=end}, where existing files are read from their end.</li>
 * </ol>
 */
final class StartRule {

    /** Where to start: the generation's identity and the offset. */
    record Start(FileIdentity identity, long offset) {}

    /** A file this run drained and closed, remembered by its inode. */
    record Drained(FileIdentity identity, long offset) {}

    private final Checkpoints checkpoints;
    private final boolean readExistingFromEnd;
    /** The files (by inode) of the first listing: the ones that existed when reading began. */
    private Set<String> existing;

    StartRule(Checkpoints checkpoints, boolean readFromStart, boolean firstStartEver) {
        this.checkpoints = checkpoints;
        this.readExistingFromEnd = firstStartEver && !readFromStart;
    }

    /**
     * The files the first listing found, by {@link FileKey#inodeKey()}; called once, before the first decision. Only
     * these are read from their end; a file that appears later was written after reading began.
     */
    void existingAtStart(Set<String> inodeKeys) {
        if (existing == null) {
            existing = Set.copyOf(inodeKeys);
        }
    }

    /** Empty when the file is one this run drained already and it has not grown. */
    Optional<Start> decide(FileKey key, FileChannel channel, Drained before) throws IOException {
        // the size now, not the listing's: the file may have been truncated since (a fingerprint of more
        // bytes than it has would match nothing)
        long size = channel.size();
        if (before != null) {
            if (before.identity().sameContent(channel)) {
                return size > before.offset()
                        ? Optional.of(new Start(before.identity(), before.offset()))
                        : Optional.empty();
            }
            return Optional.of(new Start(
                    FileIdentity.firstSight(
                            key, channel, size, before.identity().generation() + 1),
                    0));
        }
        for (CheckpointStore.Entry entry : checkpoints.unclaimed()) {
            Optional<FileIdentity> identity = FileIdentity.parse(entry.fileId());
            if (identity.isPresent()
                    && identity.get().sameInode(key)
                    && identity.get().sameContent(channel)) {
                checkpoints.claim(entry.fileId());
                return Optional.of(new Start(identity.get(), entry.offset()));
            }
        }
        return Optional.of(new Start(
                FileIdentity.firstSight(key, channel, size, 0),
                readExistingFromEnd && existing != null && existing.contains(key.inodeKey()) ? size : 0));
    }
}
