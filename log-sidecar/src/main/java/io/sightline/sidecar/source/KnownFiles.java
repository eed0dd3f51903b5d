package io.sightline.sidecar.source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The files the source knows: a reader per inode being read (open or closed while idle), the files
 * listed but not started yet (waiting for a free place among the open files), and the files this run
 * drained (remembered by inode, so a rotated name the globs also match is not read twice). The
 * number of open readers is bounded: the least recently read idle ones are closed first.
 */
final class KnownFiles {

    private static final int DRAINED_MEMORY = 1024;

    /** Insertion order is reading order. */
    private final Map<String, FileReader> readers = new LinkedHashMap<>();

    /** The open readers, least recently read first (access order): whom to close first. */
    private final LinkedHashMap<String, FileReader> open = new LinkedHashMap<>(16, 0.75f, true);

    private final Map<String, Discovery.Found> waiting = new LinkedHashMap<>();
    private final Map<String, StartRule.Drained> drained = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StartRule.Drained> eldest) {
            return size() > DRAINED_MEMORY;
        }
    };

    boolean beingRead(FileKey key) {
        return readers.containsKey(key.inodeKey());
    }

    List<FileReader> readers() {
        return new ArrayList<>(readers.values());
    }

    void add(FileReader reader) {
        readers.put(reader.key().inodeKey(), reader);
        if (reader.isOpen()) {
            open.put(reader.key().inodeKey(), reader);
        }
    }

    /** A closed reader was given its channel again. */
    void reopened(FileReader reader) {
        open.put(reader.key().inodeKey(), reader);
    }

    void remove(FileReader reader) {
        readers.remove(reader.key().inodeKey());
        open.remove(reader.key().inodeKey());
    }

    /** A reader read something: it is closed last. */
    void read(FileReader reader) {
        open.get(reader.key().inodeKey());
    }

    /** A listed file not known yet waits to be started. */
    void listed(Discovery.Found found) {
        if (!readers.containsKey(found.key().inodeKey())) {
            waiting.put(found.path().toString(), found);
        }
    }

    /** Files listed this round: those waiting that vanished (or are another file now) are forgotten. */
    void retainWaiting(Map<String, Discovery.Found> listedByPath) {
        waiting.values().removeIf(found -> {
            Discovery.Found now = listedByPath.get(found.path().toString());
            return now == null || !now.key().sameInode(found.key());
        });
    }

    List<Discovery.Found> waiting() {
        return new ArrayList<>(waiting.values());
    }

    /** The files waiting to be started, by {@link FileKey#inodeKey()}. */
    Map<String, Discovery.Found> waitingByInode() {
        Map<String, Discovery.Found> byInode = new HashMap<>();
        waiting.values().forEach(found -> byInode.put(found.key().inodeKey(), found));
        return byInode;
    }

    /** Whether a compressed rotation of {@code file}'s directory older than {@code file} is being replayed. */
    boolean replayingBefore(Path file, Comparator<Path> byAge) {
        for (FileReader reader : readers.values()) {
            if (reader.isReplaying() && sameDirectory(reader, file) && byAge.compare(reader.path(), file) < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the compressed rotation {@code replay} must wait: one of its directory is being replayed ({@link
     * FileReader#replay}; one at a time), or a file there older than it still has something to read.
     */
    boolean busyBefore(Path replay, Comparator<Path> byAge) {
        for (FileReader reader : readers.values()) {
            if (sameDirectory(reader, replay)
                    && (reader.isReplaying() || (reader.wantsToRead() && byAge.compare(reader.path(), replay) < 0))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameDirectory(FileReader reader, Path file) {
        return Objects.equals(reader.path().getParent(), file.getParent());
    }

    void started(Discovery.Found found) {
        waiting.remove(found.path().toString());
    }

    void drained(FileReader reader) {
        remove(reader);
        if (reader.identity() != null) {
            drained.put(reader.key().inodeKey(), new StartRule.Drained(reader.identity(), reader.offset()));
        }
    }

    /** What this run drained of that inode (and forgets it: the file is being started again). */
    StartRule.Drained takeDrained(FileKey key) {
        return drained.remove(key.inodeKey());
    }

    /** Whether a listed file is one this run drained, unchanged in size: nothing to start. */
    boolean drainedAndUnchanged(Discovery.Found found) {
        StartRule.Drained before = drained.get(found.key().inodeKey());
        return before != null && found.key().size() <= before.offset();
    }

    /** Closes idle readers, least recently read first, until fewer than {@code max} are open; false if it cannot. */
    boolean roomToOpen(int max) {
        trim(max - 1);
        return open.size() < max;
    }

    /** Closes idle readers, least recently read first, until at most {@code max} are open. */
    void trim(int max) {
        Iterator<FileReader> candidates = open.values().iterator();
        while (open.size() > max && candidates.hasNext()) {
            if (candidates.next().closeIdle()) {
                candidates.remove();
            }
        }
    }

    void closeAll() {
        readers.values().forEach(FileReader::close);
        readers.clear();
        open.clear();
        waiting.clear();
    }
}
