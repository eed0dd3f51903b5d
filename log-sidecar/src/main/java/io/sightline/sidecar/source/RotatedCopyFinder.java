package io.sightline.sidecar.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.node.gz.GzipReplay;

/**
 * Finds where the unread rest of a file went: next to its old path, the renamed file (same inode) or
 * the copy made by copytruncate (same first bytes, at least as long as what was read). Only regular
 * files in the inputs' directories are considered, never symbolic links, and never a file that is
 * already being read. A rotation compressed since ({@link #findCompressed}) is recognised by its uncompressed first
 * bytes.
 */
final class RotatedCopyFinder {

    /** A file holding the content of a lost one, opened. */
    record Continuation(Path path, FileKey key, FileChannel channel) {}

    private final Inputs inputs;
    private final FileOpener opener;
    private final Diagnostics diagnostics;

    RotatedCopyFinder(Inputs inputs, FileOpener opener, Diagnostics diagnostics) {
        this.inputs = inputs;
        this.opener = opener;
        this.diagnostics = diagnostics;
    }

    /**
     * The file next to {@code original} that continues {@code identity} at least up to {@code offset};
     * {@code beingRead} tells which inodes are taken already.
     */
    Optional<Continuation> find(Path original, FileIdentity identity, long offset, Predicate<FileKey> beingRead) {
        List<Continuation> candidates = new ArrayList<>();
        // the original path too: a file recorded under a rotated name (resumed after an earlier restart) is still
        // there; a file being read there is excluded by beingRead, other content by its identity
        for (Path sibling : siblings(original)) {
            Continuation candidate = candidate(sibling, identity, offset, beingRead);
            if (candidate != null) {
                candidates.add(candidate);
            }
        }
        // the same inode (renamed) over a copy with equal first bytes
        candidates.sort(Comparator.comparing(c -> !identity.sameInode(c.key())));
        for (int i = 1; i < candidates.size(); i++) {
            close(candidates.get(i).channel());
        }
        return candidates.stream().findFirst();
    }

    /**
     * The file {@code listed} names, renamed next to {@code original} since a listing saw it there (before it was ever
     * opened), opened; empty when it is not there (deleted, or moved out of the directory).
     */
    Optional<Continuation> findRenamed(Path original, FileKey listed) {
        for (Path sibling : siblings(original)) {
            try {
                FileKey key = FileKey.of(sibling, false);
                if (key.regularFile() && key.sameInode(listed)) {
                    Optional<FileChannel> channel = key.open(sibling, opener, false);
                    if (channel.isPresent()) {
                        return Optional.of(new Continuation(sibling, key, channel.get()));
                    }
                }
            } catch (IOException e) {
                diagnostics.debug("skipping a possible new name of a listed file", "path", sibling, "error", e);
            }
        }
        return Optional.empty();
    }

    /** The files next to {@code original} (itself included), if its directory is one of the inputs'. */
    private List<Path> siblings(Path original) {
        Path dir = original.getParent();
        if (dir == null || !inputs.coverDirectory(dir) || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> siblings = Files.list(dir)) {
            return siblings.toList();
        } catch (IOException | RuntimeException e) {
            diagnostics.warn("cannot list the directory of a rotated file", "dir", dir, "error", e);
            return List.of();
        }
    }

    /**
     * Of the compressed {@code candidates} (by the writer's naming), the one whose uncompressed start is the
     * content {@code identity} fingerprinted, opened; none when none is (another generation, or damaged before the
     * fingerprint's end). Same rules as {@link #find}: regular files in the inputs' directories, not being read.
     */
    Optional<Continuation> findCompressed(List<Path> candidates, FileIdentity identity, Predicate<FileKey> beingRead) {
        byte[] start = new byte[identity.fingerprintLength()];
        for (Path candidate : candidates) {
            Optional<Opened> opened = openCompressed(candidate, start, beingRead);
            if (opened.isEmpty()) {
                continue;
            }
            if (identity.sameContent(start, opened.get().length())) {
                return Optional.of(opened.get().continuation());
            }
            diagnostics.debug("a compressed rotation holds other content; not replayed", "path", candidate);
            close(opened.get().continuation().channel());
        }
        return Optional.empty();
    }

    /** A compressed file holding a generation nothing read, opened, with the identity of its content. */
    record Unseen(Continuation continuation, FileIdentity identity) {}

    /**
     * {@code candidate} opened when its uncompressed content starts with none of the fingerprints of {@code known}
     * (it holds a generation no checkpoint entry knows) and is not empty. Same rules as {@link #findCompressed}.
     */
    Optional<Unseen> findUnseen(Path candidate, List<FileIdentity> known, Predicate<FileKey> beingRead) {
        byte[] start = new byte[FileIdentity.FINGERPRINT_BYTES];
        Optional<Opened> opened = openCompressed(candidate, start, beingRead);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        int length = opened.get().length();
        Continuation continuation = opened.get().continuation();
        if (length == 0 || known.stream().anyMatch(identity -> identity.sameContent(start, length))) {
            close(continuation.channel());
            return Optional.empty();
        }
        return Optional.of(new Unseen(continuation, FileIdentity.ofContent(continuation.key(), start, length, 0)));
    }

    private record Opened(Continuation continuation, int length) {}

    /** Opens a compressed candidate and reads its first uncompressed bytes into {@code start}. */
    private Optional<Opened> openCompressed(Path candidate, byte[] start, Predicate<FileKey> beingRead) {
        Path dir = candidate.getParent();
        if (dir == null || !inputs.coverDirectory(dir)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            FileKey key = FileKey.of(candidate, false);
            if (!key.regularFile() || beingRead.test(key)) {
                return Optional.empty();
            }
            Optional<FileChannel> opened = key.open(candidate, opener, false);
            if (opened.isEmpty()) {
                return Optional.empty();
            }
            channel = opened.get();
            try (GzipReplay replay = GzipReplay.open(channel, 0)) {
                return Optional.of(new Opened(new Continuation(candidate, key, channel), readStart(replay, start)));
            }
        } catch (IOException e) {
            diagnostics.debug("skipping a possible compressed rotation", "path", candidate, "error", e);
            close(channel);
            return Optional.empty();
        }
    }

    private static int readStart(GzipReplay replay, byte[] start) {
        int length = 0;
        int n;
        while (length < start.length && (n = replay.read(start, length, start.length - length)) > 0) {
            length += n;
        }
        return length;
    }

    private Continuation candidate(Path sibling, FileIdentity identity, long offset, Predicate<FileKey> beingRead) {
        FileChannel channel = null;
        try {
            FileKey key = FileKey.of(sibling, false);
            if (!key.regularFile() || key.size() < offset || beingRead.test(key)) {
                return null;
            }
            channel = key.open(sibling, opener, false).orElse(null);
            if (channel != null && identity.sameContent(channel)) {
                return new Continuation(sibling, key, channel);
            }
        } catch (IOException e) {
            diagnostics.debug("skipping a possible rotated copy", "path", sibling, "error", e);
        }
        close(channel);
        return null;
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }
}
