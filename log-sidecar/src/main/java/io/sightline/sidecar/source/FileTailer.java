package io.sightline.sidecar.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.sightline.sidecar.checkpoint.CheckpointStore;
import io.sightline.sidecar.checkpoint.Checkpoints;
import io.sightline.sidecar.checkpoint.FileProgress;
import io.sightline.sidecar.config.SidecarConfig;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.metrics.SidecarMetrics;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.parse.RecordParser;
import io.sightline.sidecar.parse.Utf8;

/**
 * The source stage, on one thread: finds files by glob, reads each from its checkpoint (or per
 * {@code SIGHTLINE_READ_FROM} on the very first start), follows rotation, and hands records to the
 * delivery stage, which blocks it while the in-flight bound is reached.
 * <ul>
 *   <li>Rename rotation: the open channel keeps the old inode; it is drained, and closed once it has
 *       not grown for two poll intervals. The new file at the path is a new identity, read from 0.</li>
 *   <li>Copytruncate: a file that shrank, or whose first bytes changed, was truncated. The bytes not
 *       read yet are taken from the rotated copy (a file in the same directory starting with the same
 *       fingerprint); without one they are lost and counted as {@code lost_before_read}. The new
 *       content is a new generation of the inode, read from 0.</li>
 * </ul>
 */
public final class FileTailer implements Runnable {

    private static final int CHUNK_BYTES = 256 << 10;
    private static final int FINISHED_MEMORY = 1024;

    private final SidecarConfig config;
    private final List<GlobInput> inputs;
    private final Checkpoints checkpoints;
    private final RecordHandoff handoff;
    private final SidecarMetrics metrics;
    private final String sinkName;
    private final Diagnostics diagnostics;
    private final FileOpener opener;
    private final Map<String, RecordParser> parsers = new HashMap<>();
    private final byte[] buffer = new byte[CHUNK_BYTES];
    private final Map<String, TrackedFile> open = new LinkedHashMap<>();
    private final Map<String, Finished> finished = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Finished> eldest) {
            return size() > FINISHED_MEMORY;
        }
    };
    private final Set<String> reported = new HashSet<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Thread thread;
    private long chunkReadTimeNanos;

    /** A rotated file the reader drained and closed. */
    private record Finished(FileIdentity identity, long offset) {}

    public FileTailer(
            SidecarConfig config,
            Checkpoints checkpoints,
            RecordHandoff handoff,
            SidecarMetrics metrics,
            String sinkName,
            Diagnostics diagnostics,
            FileOpener opener) {
        this.config = config;
        this.inputs = config.inputGlobs().stream().map(GlobInput::new).toList();
        this.checkpoints = checkpoints;
        this.handoff = handoff;
        this.metrics = metrics;
        this.sinkName = sinkName;
        this.diagnostics = diagnostics;
        this.opener = opener;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            boolean firstStartEver = checkpoints.unclaimed().isEmpty();
            discover(firstStartEver);
            recoverUnclaimed();
            long pollNanos = config.pollInterval().toNanos();
            long nextDiscovery = System.nanoTime() + pollNanos;
            while (!stopping) {
                long now = System.nanoTime();
                if (now - nextDiscovery >= 0) {
                    discover(false);
                    nextDiscovery = now + pollNanos;
                }
                boolean progressed = false;
                for (TrackedFile file : List.copyOf(open.values())) {
                    if (stopping) {
                        break;
                    }
                    progressed |= pollSafely(file);
                }
                if (!progressed && !stopping) {
                    LockSupport.parkNanos(this, Math.max(1, nextDiscovery - System.nanoTime()));
                }
            }
        } finally {
            for (TrackedFile file : open.values()) {
                closeQuietly(file);
            }
            open.clear();
            done.countDown();
        }
    }

    /** Stops reading; a record being handed over is abandoned and read again after a restart. */
    public void stop() {
        stopping = true;
        Thread reader = thread;
        if (reader != null) {
            LockSupport.unpark(reader);
        }
    }

    public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    // ---- discovery -------------------------------------------------------------------------

    private void discover(boolean firstStartEver) {
        for (GlobInput input : inputs) {
            List<Path> paths;
            try {
                paths = input.list();
            } catch (IOException e) {
                reportOnce(
                        input.glob(),
                        "listing",
                        "cannot list the files of an input; retrying every poll interval",
                        "input",
                        input.glob(),
                        "error",
                        e);
                continue;
            }
            forget(input.glob(), "listing");
            for (Path path : paths) {
                if (stopping) {
                    return;
                }
                discovered(input, path, firstStartEver);
            }
        }
        for (TrackedFile file : open.values()) {
            if (!file.rotated && !stillAt(file)) {
                file.rotated = true;
                diagnostics.debug("file rotated away; draining it", "path", file.path);
            }
        }
    }

    private void discovered(GlobInput input, Path path, boolean firstStartEver) {
        FileKey key;
        try {
            key = FileKey.of(path);
        } catch (NoSuchFileException e) {
            return; // rotated away between listing and stat
        } catch (IOException e) {
            reportOnce(
                    path.toString(), "stat", "cannot inspect a file matching the input glob", "path", path, "error", e);
            return;
        }
        if (!key.regularFile()) {
            reportOnce(
                    path.toString(),
                    "type",
                    "ignoring a path that matches the input glob but is not a regular file",
                    "path",
                    path,
                    "input",
                    input.glob());
            return;
        }
        forget(path.toString(), "type");
        TrackedFile known = open.get(key.inodeKey());
        if (known != null) {
            if (!known.path.equals(path)) {
                known.movedTo(path); // renamed to another name the glob matches: still the same file
            }
            return;
        }
        if (key.size() == 0) {
            return; // nothing to read and nothing to fingerprint yet
        }
        FileChannel channel;
        try {
            channel = opener.open(path);
        } catch (AccessDeniedException e) {
            reportOnce(
                    path.toString(),
                    "open",
                    "no permission to read a log file; it is retried every poll interval:"
                            + " make it readable for the sidecar's user (fsGroup / file mode)",
                    "path",
                    path,
                    "error",
                    e);
            return;
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            reportOnce(
                    path.toString(),
                    "open",
                    "cannot open a log file; retrying every poll interval",
                    "path",
                    path,
                    "error",
                    e);
            return;
        }
        forget(path.toString(), "open");
        try {
            start(input, path, key, channel, firstStartEver);
        } catch (IOException e) {
            closeChannel(channel);
            reportOnce(
                    path.toString(),
                    "open",
                    "cannot read the start of a log file; retrying every poll interval",
                    "path",
                    path,
                    "error",
                    e);
        }
    }

    private void start(GlobInput input, Path path, FileKey key, FileChannel channel, boolean firstStartEver)
            throws IOException {
        Finished before = finished.remove(key.inodeKey());
        if (before != null) {
            if (before.identity().sameContent(channel)) {
                if (key.size() > before.offset()) {
                    track(input, path, key, channel, before.identity(), before.offset(), false);
                } else {
                    finished.put(key.inodeKey(), before); // a drained file under a new matching name
                    closeChannel(channel);
                }
                return;
            }
            track(
                    input,
                    path,
                    key,
                    channel,
                    FileIdentity.firstSight(
                            key, channel, key.size(), before.identity().generation() + 1),
                    0,
                    false);
            return;
        }
        for (CheckpointStore.Entry entry : checkpoints.unclaimed()) {
            Optional<FileIdentity> identity = FileIdentity.parse(entry.fileId());
            if (identity.isPresent()
                    && identity.get().sameInode(key)
                    && identity.get().sameContent(channel)) {
                checkpoints.claim(entry.fileId());
                track(input, path, key, channel, identity.get(), entry.offset(), false);
                return;
            }
        }
        long startOffset = firstStartEver && !config.readFromStart() ? key.size() : 0;
        track(input, path, key, channel, FileIdentity.firstSight(key, channel, key.size(), 0), startOffset, false);
    }

    /** Checkpoint entries of the previous run whose file is no longer at a matching path. */
    private void recoverUnclaimed() {
        for (CheckpointStore.Entry entry : checkpoints.unclaimed()) {
            checkpoints.claim(entry.fileId());
            Optional<FileIdentity> identity = FileIdentity.parse(entry.fileId());
            if (identity.isEmpty()) {
                diagnostics.warn("ignoring a checkpoint entry with an unknown file id", "file_id", entry.fileId());
                continue;
            }
            Optional<Continuation> rest = findContinuation(entry.path(), identity.get(), entry.offset());
            if (rest.isPresent()) {
                GlobInput input = inputs.stream()
                        .filter(i -> i.matches(entry.path()))
                        .findFirst()
                        .orElse(inputs.get(0));
                track(
                        input,
                        rest.get().path(),
                        rest.get().key(),
                        rest.get().channel(),
                        identity.get(),
                        entry.offset(),
                        true);
                diagnostics.info(
                        "resuming a rotated file from its checkpoint",
                        "path",
                        rest.get().path(),
                        "offset",
                        entry.offset());
            } else if (entry.size() > entry.offset()) {
                lost(entry.path(), entry.size() - entry.offset());
            }
        }
    }

    private record Continuation(Path path, FileKey key, FileChannel channel) {}

    /**
     * A file next to {@code original} holding the same content at least up to {@code offset}: the
     * renamed file (same inode) or the copy made by copytruncate (same first bytes).
     */
    private Optional<Continuation> findContinuation(Path original, FileIdentity identity, long offset) {
        Path dir = original.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<Continuation> candidates = new ArrayList<>();
        try (Stream<Path> siblings = Files.list(dir)) {
            for (Path sibling : siblings.filter(p -> !p.equals(original)).toList()) {
                Continuation candidate = candidate(sibling, identity, offset);
                if (candidate != null) {
                    candidates.add(candidate);
                }
            }
        } catch (IOException e) {
            diagnostics.warn("cannot list the directory of a rotated file", "dir", dir, "error", e);
        }
        // prefer the same inode (rename) over a copy with equal first bytes
        candidates.sort((a, b) -> Boolean.compare(identity.sameInode(b.key()), identity.sameInode(a.key())));
        for (int i = 1; i < candidates.size(); i++) {
            closeChannel(candidates.get(i).channel());
        }
        return candidates.stream().findFirst();
    }

    private Continuation candidate(Path sibling, FileIdentity identity, long offset) {
        FileChannel channel = null;
        try {
            FileKey key = FileKey.of(sibling);
            if (!key.regularFile() || key.size() < offset || open.containsKey(key.inodeKey())) {
                return null;
            }
            channel = opener.open(sibling);
            if (identity.sameContent(channel)) {
                return new Continuation(sibling, key, channel);
            }
        } catch (IOException e) {
            diagnostics.debug("skipping a possible rotated copy", "path", sibling, "error", e);
        }
        closeChannel(channel);
        return null;
    }

    // ---- reading ---------------------------------------------------------------------------

    private boolean pollSafely(TrackedFile file) {
        try {
            boolean progressed = poll(file);
            file.readFailing = false;
            return progressed;
        } catch (IOException e) {
            if (!file.readFailing) {
                diagnostics.warn("cannot read a log file; retrying", "path", file.path, "error", e);
                file.readFailing = true;
            }
            return false;
        }
    }

    private boolean poll(TrackedFile file) throws IOException {
        long size = file.channel.size();
        if (file.identity == null) {
            // truncated earlier: the next generation starts once there is content to fingerprint
            if (size == 0) {
                if (file.rotated
                        && System.nanoTime() - file.lastDataNanos
                                >= 2 * config.pollInterval().toNanos()) {
                    finish(file);
                }
                return false;
            }
            file.begin(FileIdentity.firstSight(file.key, file.channel, size, file.nextGeneration), 0);
        }
        file.progress.sizeSeen(size);
        if (size < file.readOffset) {
            truncated(file);
            return true;
        }
        if (size == file.readOffset) {
            return idle(file);
        }
        long at = file.readOffset;
        int read = read(file.channel, at, (int) Math.min(CHUNK_BYTES, size - at));
        if (read <= 0) {
            return idle(file);
        }
        // checked after reading: if the file was truncated before the read, these bytes are new content
        if (!file.identity.sameContent(file.channel)) {
            truncated(file);
            return true;
        }
        feed(file, read, at);
        return true;
    }

    private int read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(buffer, 0, length);
        while (target.hasRemaining()) {
            int n = channel.read(target, position + target.position());
            if (n < 0) {
                break;
            }
            if (n == 0) {
                break;
            }
        }
        return target.position();
    }

    private void feed(TrackedFile file, int length, long at) {
        chunkReadTimeNanos = System.currentTimeMillis() * 1_000_000L;
        file.bytesRead.inc(length);
        file.readOffset = at + length;
        file.lastDataNanos = System.nanoTime();
        file.splitter.feed(buffer, 0, length, at, file::line);
    }

    /** At the end of the data: flush what waited long enough, detect a same-size truncation, close drained files. */
    private boolean idle(TrackedFile file) throws IOException {
        long now = System.nanoTime();
        if (now - file.lastVerifiedNanos >= config.pollInterval().toNanos()) {
            file.lastVerifiedNanos = now;
            // truncated and rewritten to exactly the old size: only the first bytes tell
            if (!file.identity.sameContent(file.channel)) {
                truncated(file);
                return true;
            }
        }
        long quiet = now - file.lastDataNanos;
        if (file.splitter.hasPartial() && quiet >= config.partialLineTimeout().toNanos()) {
            flushPartial(file);
        }
        if (file.joiner.hasPending() && quiet >= config.multilineTimeout().toNanos()) {
            file.joiner.flush();
        }
        if (file.rotated && quiet >= 2 * config.pollInterval().toNanos()) {
            finish(file);
        }
        return false;
    }

    private void flushPartial(TrackedFile file) {
        chunkReadTimeNanos = System.currentTimeMillis() * 1_000_000L;
        file.splitter.flushPartial(file.readOffset, file::line);
        file.joiner.flush();
    }

    private void truncated(TrackedFile file) throws IOException {
        long seen = file.progress.size();
        Optional<Continuation> copy = findContinuation(file.path, file.identity, file.readOffset);
        if (copy.isPresent()) {
            try (FileChannel channel = copy.get().channel()) {
                long end = channel.size();
                while (file.readOffset < end && !stopping) {
                    long at = file.readOffset;
                    int read = read(channel, at, (int) Math.min(CHUNK_BYTES, end - at));
                    if (read <= 0) {
                        break;
                    }
                    feed(file, read, at);
                }
            }
            diagnostics.info(
                    "file truncated in place (copytruncate); read the rest from the rotated copy",
                    "path",
                    file.path,
                    "copy",
                    copy.get().path(),
                    "offset",
                    file.readOffset);
        } else if (seen > file.readOffset) {
            lost(file.path, seen - file.readOffset);
        } else {
            diagnostics.info("file truncated in place (copytruncate) after it was read to the end", "path", file.path);
        }
        if (stopping) {
            return; // the checkpoint keeps the old generation; a restart sees the truncation again
        }
        flushPartial(file);
        file.progress.close();
        // same inode, new content: keep the channel, so a rename right after the truncation loses nothing
        file.nextGeneration = file.identity.generation() + 1;
        file.lastDataNanos = System.nanoTime();
        file.begin(null, 0);
    }

    /** Closes a drained rotated file; its identity is remembered in case a matching name shows it again. */
    private void finish(TrackedFile file) {
        if (stopping) {
            return; // the checkpoint keeps the file; a restart finds it again and continues
        }
        if (file.identity != null) {
            flushPartial(file);
            file.progress.close();
            finished.put(file.key.inodeKey(), new Finished(file.identity, file.readOffset));
        }
        closeQuietly(file);
        open.remove(file.key.inodeKey());
    }

    private void lost(Path path, long bytes) {
        metrics.recordsDropped
                .labelValues(sinkName, SidecarMetrics.DROP_LOST_BEFORE_READ)
                .inc();
        diagnostics.warn(
                "a rotated file was deleted or truncated before it was read to the end; its unread bytes"
                        + " are lost (keep more rotated files, or rotate less often than the sidecar can ship)",
                "path",
                path,
                "bytes",
                bytes);
    }

    private void track(
            GlobInput input,
            Path path,
            FileKey key,
            FileChannel channel,
            FileIdentity identity,
            long offset,
            boolean rotated) {
        TrackedFile file = new TrackedFile(input, path, key, channel);
        file.begin(identity, offset);
        file.rotated = rotated;
        open.put(key.inodeKey(), file);
        diagnostics.debug("reading file", "path", path, "file_id", identity.id(), "offset", offset);
    }

    private boolean stillAt(TrackedFile file) {
        try {
            return FileKey.of(file.path).sameInode(file.key);
        } catch (IOException e) {
            return false;
        }
    }

    private void emit(TrackedFile file, LogRecord record) {
        file.progress.emitted(record.position().endOffset());
        if (!handoff.put(record)) {
            stopping = true;
        }
    }

    private void reportOnce(String subject, String kind, String message, Object... keyValues) {
        if (reported.add(kind + "\u0000" + subject)) {
            diagnostics.warn(message, keyValues);
        }
    }

    private void forget(String subject, String kind) {
        reported.remove(kind + "\u0000" + subject);
    }

    private void closeQuietly(TrackedFile file) {
        closeChannel(file.channel);
    }

    private void closeChannel(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            diagnostics.debug("closing a file failed", "error", e);
        }
    }

    /** One open file (one inode): its channel and the current generation's identity, progress and line state. */
    private final class TrackedFile {
        final GlobInput input;
        final FileKey key;
        final FileChannel channel;
        final CounterDataPoint linesRead;
        final CounterDataPoint bytesRead;
        final CounterDataPoint linesTruncated;
        final RecordParser parser;
        FileIdentity identity;
        FileProgress progress;
        LineSplitter splitter;
        MultilineJoiner joiner;
        String fileId;
        Path path;
        long readOffset;
        long lastDataNanos = System.nanoTime();
        long lastVerifiedNanos = System.nanoTime();
        boolean rotated;
        boolean readFailing;
        int nextGeneration;

        TrackedFile(GlobInput input, Path path, FileKey key, FileChannel channel) {
            this.input = input;
            this.path = path;
            this.key = key;
            this.channel = channel;
            this.linesRead = metrics.linesRead.labelValues(input.glob());
            this.bytesRead = metrics.bytesRead.labelValues(input.glob());
            this.linesTruncated = metrics.linesTruncated.labelValues(input.glob());
            CounterDataPoint unparsed = metrics.linesUnparsed.labelValues(input.glob());
            this.parser = parsers.computeIfAbsent(input.glob(), glob -> new RecordParser(unparsed::inc));
        }

        /** Starts reading {@code id} at {@code offset}; null while a truncated file has no new content yet. */
        void begin(FileIdentity id, long offset) {
            identity = id;
            readOffset = offset;
            if (id == null) {
                return;
            }
            String currentId = id.id();
            fileId = currentId;
            progress = checkpoints.track(currentId, input.glob(), path, offset);
            splitter = new LineSplitter(config.maxLineBytes(), offset);
            joiner = new MultilineJoiner(
                    config.multiline(),
                    config.maxLineBytes(),
                    joined -> emit(
                            this,
                            RecordParser.plain(
                                    joined.text(),
                                    joined.readTimeNanos(),
                                    new SourcePosition(currentId, joined.startOffset(), joined.endOffset()))));
        }

        void movedTo(Path newPath) {
            path = newPath;
            rotated = false;
            if (progress != null) {
                progress.movedTo(newPath);
            }
        }

        void line(byte[] bytes, int offset, int length, long start, long end, boolean truncated) {
            linesRead.inc();
            if (length == 0) {
                if (truncated) {
                    linesTruncated.inc();
                }
                joiner.flush();
                progress.skipped(end);
                return;
            }
            int limit = config.maxLineBytes();
            if (bytes[offset] == '{') {
                joiner.flush();
                LogRecord record = parser.parseLine(
                        bytes, offset, length, chunkReadTimeNanos, new SourcePosition(fileId, start, end));
                // invalid bytes decode to U+FFFD, three bytes each: the shipped text is what must fit
                boolean cut = truncated || !Utf8.fits(record.line(), limit);
                if (cut) {
                    linesTruncated.inc();
                    record = record.withLine(Utf8.truncate(record.line(), limit));
                }
                emit(this, record);
            } else {
                String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
                if (truncated || !Utf8.fits(text, limit)) {
                    linesTruncated.inc();
                    text = Utf8.truncate(text, limit);
                }
                joiner.line(text, start, end, chunkReadTimeNanos);
            }
        }
    }
}
