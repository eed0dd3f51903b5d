package io.sightline.sidecar.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Compressed rotations found at start-up that wait to be replayed. A directory replays one at a time, oldest first
 * (by the writer's naming: the kubelet's restart and stamp), so a stream's lines reach the log store in the order
 * they were written; its newer files start after the last older one. Each compressed file is queued at most once per run, so one
 * replayed and done is not taken for an unseen generation again.
 */
final class CompressedReplays {

    /**
     * A replay waiting its turn: {@code compressed}, open as {@code channel}, holds generation {@code identity}, read
     * from {@code offset} and recorded in the checkpoint as {@code recordedAs} ({@code size} bytes when last seen).
     */
    record Pending(
            Path compressed,
            FileKey key,
            FileChannel channel,
            FileIdentity identity,
            long offset,
            long size,
            Path recordedAs,
            GlobInput input,
            FileOrigins.Origin origin) {}

    private final Comparator<Path> byAge;
    private final Comparator<Pending> oldestFirst;
    private final Map<Path, PriorityQueue<Pending>> byDirectory = new HashMap<>();
    private final Set<String> queued = new HashSet<>();

    CompressedReplays(Comparator<Path> byAge) {
        this.byAge = byAge;
        this.oldestFirst = Comparator.comparing(Pending::compressed, byAge);
    }

    void add(Pending pending) {
        queued.add(pending.key().inodeKey());
        byDirectory
                .computeIfAbsent(pending.compressed().getParent(), dir -> new PriorityQueue<>(oldestFirst))
                .add(pending);
    }

    /** Whether this compressed file was queued in this run (it may be replayed and done by now). */
    boolean queued(FileKey key) {
        return queued.contains(key.inodeKey());
    }

    /** Whether a replay of {@code file}'s directory older than {@code file} waits its turn. */
    boolean queuedBefore(Path file) {
        PriorityQueue<Pending> directory = byDirectory.get(file.getParent());
        return directory != null && byAge.compare(directory.peek().compressed(), file) < 0;
    }

    /** The next replay of each directory, taken from the queue when {@code mayStart} lets it start now. */
    List<Pending> next(Predicate<Pending> mayStart) {
        List<Pending> next = new ArrayList<>();
        byDirectory.entrySet().removeIf(directory -> {
            if (!mayStart.test(directory.getValue().peek())) {
                return false;
            }
            next.add(directory.getValue().poll());
            return directory.getValue().isEmpty();
        });
        return next;
    }

    void closeAll() {
        for (PriorityQueue<Pending> pending : byDirectory.values()) {
            for (Pending replay : pending) {
                try {
                    replay.channel().close();
                } catch (IOException ignored) {
                    // read-only
                }
            }
        }
        byDirectory.clear();
    }
}
