package io.sightline.sidecar.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import io.sightline.sidecar.checkpoint.CheckpointStore;
import io.sightline.sidecar.checkpoint.Checkpoints;
import io.sightline.sidecar.config.SidecarConfig;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.metrics.SidecarMetrics;
import io.sightline.sidecar.node.gz.GzipReplay;

/**
 * The source stage's poll loop, on one thread; it only orchestrates its parts: {@link Discovery}
 * lists the files, {@link KnownFiles} holds what is known of them, {@link StartRule} says where a new
 * file starts, {@link FileReader}s read, and {@link RotatedCopyFinder} finds where a truncated or
 * vanished file's rest went. It never blocks on delivery: while the in-flight bound is reached it
 * reads nothing but goes on listing files, following rotations, and counting what was lost.
 * {@link #pollOnce} is one round, so tests can drive the source without its thread.
 */
public final class FileTailer implements Runnable {

    private static final int CHUNK_BYTES = 256 << 10;
    /** Smallest read while there is room: a few bytes of room are not worth a read system call. */
    private static final int MIN_READ_BYTES = 4 << 10;

    private final SidecarConfig config;
    private final Inputs inputs;
    private final Checkpoints checkpoints;
    private final RecordIntake intake;
    private final SidecarMetrics metrics;
    private final String sinkName;
    private final Diagnostics diagnostics;
    private final FileOpener opener;
    private final FileOrigins origins;
    private final LongSupplier nanoTime;
    private final LongSupplier wallNanos;
    private final OnceReports reports;
    private final Discovery discovery;
    private final KnownFiles known = new KnownFiles();
    private final RotatedCopyFinder finder;
    private final CompressedReplays replays;
    private final StartRule startRule;
    /**
     * The directories of the previous run's checkpoint entries, until the first listing: one of its files' directories
     * that is not among them is a writer created while the agent was stopped. Null after the first listing, and on the
     * very first start (nothing was promised then).
     */
    private Set<Path> checkpointedDirectories;

    private final FileReader.Settings readerSettings;
    private final byte[] buffer = new byte[CHUNK_BYTES];
    private final Map<String, LineFraming.Counters> counters = new HashMap<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Thread thread;
    private long nextDiscoveryNanos;

    /**
     * {@code origins}: who wrote the files, and which ones are read ({@link FileOrigins#OWN} for the sidecar, the
     * node agent's container log files); {@code nanoTime}: the monotonic clock of timeouts; {@code wallNanos}: the
     * read time of plain-text records.
     */
    public FileTailer(
            SidecarConfig config,
            Checkpoints checkpoints,
            RecordIntake intake,
            SidecarMetrics metrics,
            String sinkName,
            Diagnostics diagnostics,
            FileOpener opener,
            FileOrigins origins,
            LongSupplier nanoTime,
            LongSupplier wallNanos) {
        this.config = config;
        this.inputs = new Inputs(config.inputGlobs());
        this.checkpoints = checkpoints;
        this.intake = intake;
        this.metrics = metrics;
        this.sinkName = sinkName;
        this.diagnostics = diagnostics;
        this.opener = opener;
        this.origins = origins;
        this.nanoTime = nanoTime;
        this.wallNanos = wallNanos;
        this.reports = new OnceReports(diagnostics);
        this.discovery = new Discovery(inputs, config.followSymlinks(), reports);
        this.finder = new RotatedCopyFinder(inputs, opener, diagnostics);
        this.replays = new CompressedReplays(origins.byAge());
        this.startRule = new StartRule(
                checkpoints, config.readFromStart(), checkpoints.unclaimed().isEmpty());
        this.checkpointedDirectories = checkpoints.unclaimed().isEmpty()
                ? null
                : checkpoints.unclaimed().stream()
                        .map(entry -> entry.path().getParent())
                        .filter(Objects::nonNull)
                        .collect(Collectors.toSet());
        this.readerSettings = new FileReader.Settings(
                config.pollInterval(),
                config.partialLineTimeout(),
                config.multilineTimeout(),
                config.rotateWait(),
                CHUNK_BYTES);
        this.nextDiscoveryNanos = nanoTime.getAsLong();
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            while (!stopping) {
                if (!pollOnce() && !stopping) {
                    // woken early by the intake when room frees up (see wake())
                    LockSupport.parkNanos(this, Math.max(1, nextDiscoveryNanos - nanoTime.getAsLong()));
                }
            }
        } finally {
            known.closeAll();
            replays.closeAll();
            done.countDown();
        }
    }

    /** Wakes the loop (the intake has room again). */
    public void wake() {
        Thread reader = thread;
        if (reader != null) {
            LockSupport.unpark(reader);
        }
    }

    /** Stops reading; a record refused at that moment is read again after a restart. */
    public void stop() {
        stopping = true;
        wake();
    }

    public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    /**
     * One round: list the files when the poll interval has passed, read what the intake has room for,
     * start files waiting for a place among the open ones. True when something was read.
     */
    public boolean pollOnce() {
        long now = nanoTime.getAsLong();
        if (now - nextDiscoveryNanos >= 0) {
            discover(now);
            // from the end of the listing: when listing takes longer than the interval (10,000 files on a
            // loaded node), the rounds in between still read
            nextDiscoveryNanos = nanoTime.getAsLong() + config.pollInterval().toNanos();
        }
        boolean progressed = false;
        for (FileReader reader : known.readers()) {
            if (stopping || intake.closed()) {
                return progressed;
            }
            progressed |= pollSafely(reader, now);
        }
        // a file started now is read in the next round, at once: not after parking for a poll interval
        progressed |= startWaiting(now);
        known.trim(readerPlaces());
        if (checkpoints.trackedSinceSave()) {
            // a file (and each new generation of a truncated one) is in the checkpoint when the round that
            // started it ends, so a rotation and a kill right after still find it; files listed together
            // start in one round (see startWaiting), so thousands of new files cost one write
            checkpoints.save();
        }
        return progressed;
    }

    // ---- discovery ---------------------------------------------------------------------------

    /** Lists the files, follows renames, queues new files, recovers files rotated while the sidecar was down. */
    private void discover(long now) {
        Map<String, Discovery.Found> byPath = new HashMap<>();
        Map<String, Discovery.Found> byInode = new HashMap<>();
        for (Discovery.Found found : discovery.list()) {
            if (!known.beingRead(found.key()) && origins.of(found.path()).isEmpty()) {
                continue; // not to be read (the node agent's own pod, an excluded container): as if not there
            }
            byPath.put(found.path().toString(), found);
            byInode.put(found.key().inodeKey(), found);
        }
        for (FileReader reader : known.readers()) {
            Discovery.Found atPath = byPath.get(reader.path().toString());
            Discovery.Found sameFile = byInode.get(reader.key().inodeKey());
            if (atPath != null && atPath.key().sameInode(reader.key())) {
                reader.sizeListed(atPath.key().size());
            } else if (sameFile != null) {
                reader.movedTo(sameFile.path()); // renamed to another name the globs match: the same file
                reader.sizeListed(sameFile.key().size());
            } else if (!reader.isRotated()) {
                rotatedAway(reader, now);
            }
        }
        for (Discovery.Found found : byPath.values()) {
            if (!known.beingRead(found.key()) && found.key().size() > 0 && !known.drainedAndUnchanged(found)) {
                known.listed(found);
            }
        }
        known.retainWaiting(byPath);
        startRule.existingAtStart(byInode.keySet());
        recoverUnclaimed(now);
        replayNewWriters(byPath.values());
    }

    /**
     * At the first listing after a restart: a directory of listed files that no checkpoint entry names is a writer
     * created while the agent was stopped (a new pod's container). What it rotated and compressed meanwhile is queued
     * whole, oldest first, before its plain files start (they wait for older replays of their directory).
     */
    private void replayNewWriters(Collection<Discovery.Found> listed) {
        if (checkpointedDirectories == null) {
            return;
        }
        Set<Path> seen = new HashSet<>(checkpointedDirectories);
        checkpointedDirectories = null;
        for (Discovery.Found found : listed) {
            Path directory = found.path().getParent();
            if (directory == null || !seen.add(directory)) {
                continue;
            }
            origins.of(found.path())
                    .ifPresent(origin -> queueUnseen(
                            origins.compressedRotationsOfWriter(found.path()), List.of(), found.input(), origin));
        }
    }

    /** The reader's file is no longer at its path: renamed away (read on for the rotate-wait) or deleted. */
    private void rotatedAway(FileReader reader, long now) {
        if (!reader.isOpen()) {
            // closed while idle: find the file by its inode next to the old path
            Optional<RotatedCopyFinder.Continuation> moved = reader.identity() == null
                    ? Optional.empty()
                    : finder.find(
                                    reader.path(),
                                    reader.identity(),
                                    reader.offset(),
                                    key -> !key.sameInode(reader.key()) && known.beingRead(key))
                            .filter(c -> c.key().sameInode(reader.key()));
            if (moved.isEmpty()) {
                gone(reader);
                return;
            }
            try {
                reader.reopen(moved.get().channel());
                known.reopened(reader);
            } catch (IOException e) {
                gone(reader);
                return;
            }
        }
        reader.rotated(now);
        diagnostics.debug("file rotated away; reading it for the rotate-wait", "path", reader.path());
    }

    /**
     * A closed reader's file was deleted: its checkpoint entry is retired (once what was sent of it is
     * acknowledged), so a new file that gets its inode cannot be taken for it, and what it never read is
     * counted as lost.
     */
    private void gone(FileReader reader) {
        known.remove(reader);
        long unread = reader.abandon();
        if (unread > 0) {
            lost(reader.path(), unread);
        }
    }

    /**
     * Checkpoint entries of the previous run that no listed file claimed: the file was rotated (renamed,
     * or copied and truncated) while the sidecar was down. Its rest is read from where it went, from the
     * checkpoint's offset. Entries naming a file outside the inputs' directories are ignored.
     */
    private void recoverUnclaimed(long now) {
        List<CheckpointStore.Entry> unclaimed = checkpoints.unclaimed();
        if (unclaimed.isEmpty()) {
            return;
        }
        Map<String, Discovery.Found> waiting = known.waitingByInode();
        for (CheckpointStore.Entry entry : unclaimed) {
            Optional<FileIdentity> identity = FileIdentity.parse(entry.fileId());
            Discovery.Found sameInode = identity.isEmpty()
                    ? null
                    : waiting.get(identity.get().device() + ":" + identity.get().inode());
            if (sameInode != null
                    && (origins.compressedRotationsOf(entry.path()).isEmpty()
                            || holdsContent(sameInode, identity.get()))) {
                // decided when that file is started; what its writer wrote after it may be compressed already
                origins.of(sameInode.path())
                        .ifPresent(
                                origin -> replayUnseen(sameInode.path(), true, unclaimed, sameInode.input(), origin));
                continue;
            }
            checkpoints.claim(entry.fileId());
            if (!inputs.cover(entry.path())) {
                diagnostics.warn(
                        "ignoring a checkpoint entry for a file outside the inputs' directories",
                        "path",
                        entry.path(),
                        "file_id",
                        entry.fileId());
                continue;
            }
            if (identity.isEmpty()) {
                diagnostics.warn("ignoring a checkpoint entry with an unknown file id", "file_id", entry.fileId());
                continue;
            }
            Optional<FileOrigins.Origin> origin = origins.of(entry.path());
            if (origin.isEmpty()) {
                continue; // no longer to be read (e.g. its container is excluded now)
            }
            Optional<RotatedCopyFinder.Continuation> rest =
                    finder.find(entry.path(), identity.get(), entry.offset(), known::beingRead);
            // where the checkpointed generation is now: generations newer than it may have been compressed unseen
            Path generation = entry.path();
            if (rest.isPresent()) {
                RotatedCopyFinder.Continuation found = rest.get();
                FileReader reader = reader(
                        inputs.of(entry.path()).orElseThrow(),
                        found.path(),
                        found.key(),
                        found.channel(),
                        origin.get(),
                        now);
                reader.begin(identity.get(), entry.offset());
                reader.sizeListed(found.key().size());
                reader.rotated(now);
                known.add(reader);
                generation = found.path();
                diagnostics.info(
                        "resuming a file rotated while the sidecar was stopped, from its checkpoint",
                        "path",
                        found.path(),
                        "offset",
                        entry.offset());
            } else {
                Optional<Path> compressed = replayCompressed(entry, identity.get(), origin.get());
                if (compressed.isPresent()) {
                    generation = compressed.get();
                } else if (entry.size() > entry.offset()) {
                    lost(entry.path(), entry.size() - entry.offset());
                }
            }
            replayUnseen(generation, false, unclaimed, inputs.of(entry.path()).orElseThrow(), origin.get());
        }
    }

    /**
     * The checkpointed file is gone, but the writer compressed its rotation (the kubelet's {@code .gz}): its
     * content is queued to be read from the checkpoint's offset, as the same generation, before the other files of
     * its directory start (they are newer: a log store takes a stream's lines in order). Empty when there is none
     * whose content is that generation's.
     */
    private Optional<Path> replayCompressed(
            CheckpointStore.Entry entry, FileIdentity identity, FileOrigins.Origin origin) {
        Optional<RotatedCopyFinder.Continuation> compressed =
                finder.findCompressed(origins.compressedRotationsOf(entry.path()), identity, this::taken);
        if (compressed.isEmpty()) {
            return Optional.empty();
        }
        RotatedCopyFinder.Continuation found = compressed.get();
        queueReplay(new CompressedReplays.Pending(
                found.path(),
                found.key(),
                found.channel(),
                identity,
                entry.offset(),
                entry.size(),
                entry.path(),
                inputs.of(entry.path()).orElseThrow(),
                origin));
        return Optional.of(found.path());
    }

    /**
     * Generations written, rotated and compressed after {@code generation} while the agent was stopped, which no
     * checkpoint entry knows (never seen): queued to be replayed from their start, after the checkpointed one. Each
     * gets its own entry under its uncompressed name at once, so a restart during its replay resumes it as any
     * compressed rotation. Older ones matching no entry were read before the checkpoint (their entries retired
     * when done) or predate the agent: not read. {@code stillThere}: the generation is still at {@code generation},
     * so only rotations newer than that name can hold later content.
     */
    private void replayUnseen(
            Path generation,
            boolean stillThere,
            List<CheckpointStore.Entry> recovered,
            GlobInput input,
            FileOrigins.Origin origin) {
        List<Path> newer = origins.compressedRotationsAfter(generation).stream()
                .filter(candidate -> !stillThere || origins.byAge().compare(candidate, generation) > 0)
                .toList();
        if (newer.isEmpty()) {
            return;
        }
        // the entries of the directory (another container's content may start alike)
        List<FileIdentity> entries = recovered.stream()
                .filter(e -> generation.getParent().equals(e.path().getParent()))
                .flatMap(e -> FileIdentity.parse(e.fileId()).stream())
                .toList();
        queueUnseen(newer, entries, input, origin);
    }

    /**
     * Queues each compressed {@code candidate} whose content starts as none of {@code entries} to be replayed from its
     * start, in the checkpoint under its uncompressed name from now on.
     */
    private void queueUnseen(
            List<Path> candidates, List<FileIdentity> entries, GlobInput input, FileOrigins.Origin origin) {
        for (Path candidate : candidates) {
            Path recordedAs = origins.uncompressedName(candidate);
            if (Files.exists(recordedAs, LinkOption.NOFOLLOW_LINKS)) {
                continue; // being compressed right now: the plain file is read
            }
            Optional<RotatedCopyFinder.Unseen> unseen = finder.findUnseen(candidate, entries, this::taken);
            if (unseen.isPresent()) {
                RotatedCopyFinder.Continuation found = unseen.get().continuation();
                queueReplay(new CompressedReplays.Pending(
                        found.path(),
                        found.key(),
                        found.channel(),
                        unseen.get().identity(),
                        0,
                        0,
                        recordedAs,
                        input,
                        origin));
            }
        }
    }

    /** A compressed file being read, or queued or replayed in this run. */
    private boolean taken(FileKey key) {
        return known.beingRead(key) || replays.queued(key);
    }

    /** In the checkpoint from now on (at its offset), so a restart before its turn still knows it. */
    private void queueReplay(CompressedReplays.Pending pending) {
        checkpoints
                .track(pending.identity().id(), pending.input().glob(), pending.recordedAs(), pending.offset())
                .sizeSeen(pending.size());
        replays.add(pending);
    }

    /**
     * Starts the next queued replay of each directory that replays nothing now and whose older files were read to
     * their end (a restart's replays follow the previous restart's rest).
     */
    /** True when a replay started. */
    private boolean startReplays(long now) {
        boolean started = false;
        for (CompressedReplays.Pending next :
                replays.next(pending -> !known.busyBefore(pending.compressed(), origins.byAge()))) {
            FileReader reader = reader(next.input(), next.compressed(), next.key(), next.channel(), next.origin(), now);
            reader.replay(
                    next.identity(),
                    next.offset(),
                    next.recordedAs(),
                    next.size(),
                    new CompressedRotation(next.channel(), damage -> damaged(next.compressed(), next.size(), damage)));
            known.add(reader);
            started = true;
            diagnostics.info(
                    next.offset() == 0 && next.size() == 0
                            ? "replaying a rotation compressed while the sidecar was stopped, never read before,"
                                    + " from its start"
                            : "replaying a rotation compressed while the sidecar was stopped, from its checkpoint",
                    "path",
                    next.compressed(),
                    "offset",
                    next.offset());
        }
        return started;
    }

    /** A compressed rotation ends in damage: what it held was read; the rest is lost. */
    private void damaged(Path path, long sizeSeen, GzipReplay.Damage damage) {
        if (damage.lostBytes() == 0) {
            diagnostics.warn(
                    "a compressed rotation fails its checksum after all its data; every byte was read",
                    "path",
                    path,
                    "reason",
                    damage.reason());
            return;
        }
        // cut short, a file cannot tell its size: at least what the checkpoint saw is lost
        long bytes = damage.lostBytes() > 0 ? damage.lostBytes() : Math.max(0, sizeSeen - damage.position());
        metrics.recordsDropped
                .labelValues(sinkName, SidecarMetrics.DROP_LOST_BEFORE_READ)
                .inc();
        diagnostics.warn(
                "a compressed rotation is damaged; it was read up to the damage, the rest is lost",
                "path",
                path,
                "position",
                damage.position(),
                "bytes",
                bytes,
                "bytes_known",
                damage.lostBytes() > 0,
                "unread_compressed_bytes",
                damage.unreadCompressedBytes(),
                "reason",
                damage.reason());
    }

    /**
     * Whether a file waiting to be started is the checkpointed generation. Not when the kubelet deleted the plain
     * rotation once compressed and a new file got its inode: then the entry goes on in the compressed file, to be
     * replayed before that new file starts. (A file truncated in place also keeps its inode with new content; its
     * entry is decided when it starts, as before: only entries with a compressed rotation are looked at here.)
     */
    private boolean holdsContent(Discovery.Found waiting, FileIdentity identity) {
        try (FileChannel channel = opener.open(waiting.path(), config.followSymlinks())) {
            return identity.sameContent(channel);
        } catch (IOException e) {
            return true; // cannot tell now: decided when it is started
        }
    }

    // ---- starting files ------------------------------------------------------------------------

    /**
     * Starts the files listed for the first time. Each is identified and in the checkpoint at once, even
     * when every place among the open files is taken (by rotated files drained for the rotate-wait): it is
     * then closed until a place frees up. A file renamed, copied and truncated, or deleted before it got
     * a place is so still followed by its identity (or counted as lost), also across a restart. A file waits
     * while an older compressed rotation of its directory is queued or replayed; then the replays that may go on.
     */
    /** True when a file or a replay started that reads now. */
    private boolean startWaiting(long now) {
        boolean started = false;
        for (Discovery.Found found : known.waiting()) {
            if (stopping) {
                break;
            }
            if (replays.queuedBefore(found.path()) || known.replayingBefore(found.path(), origins.byAge())) {
                continue; // after the older content of its directory was replayed
            }
            started |= start(found, known.roomToOpen(readerPlaces()), now);
        }
        return startReplays(now) | started;
    }

    /** True when the file's reader reads now (not parked for want of a place). */
    private boolean start(Discovery.Found found, boolean readNow, long now) {
        Path path = found.path();
        FileKey key = found.key();
        FileChannel channel;
        try {
            Optional<FileChannel> listed = key.open(path, opener, config.followSymlinks());
            if (listed.isPresent()) {
                channel = listed.get();
            } else {
                // renamed since the listing (the path may name a new file already): it goes on under its new name
                Optional<RotatedCopyFinder.Continuation> renamed = finder.findRenamed(path, key);
                if (renamed.isEmpty()) {
                    known.started(found); // deleted before it was opened (or moved away): nothing known to count
                    return false;
                }
                diagnostics.debug(
                        "a listed file was renamed before it was opened; reading it under its new name",
                        "listed_as",
                        path,
                        "path",
                        renamed.get().path());
                path = renamed.get().path();
                key = renamed.get().key();
                channel = renamed.get().channel();
            }
        } catch (AccessDeniedException e) {
            reports.warn(
                    path.toString(),
                    "open",
                    "no permission to read a log file; it is retried every poll interval:"
                            + " make it readable for the sidecar's user (fsGroup / file mode)",
                    "path",
                    path,
                    "error",
                    e);
            return false;
        } catch (IOException e) {
            reports.warn(
                    path.toString(),
                    "open",
                    "cannot open a log file; retrying every poll interval",
                    "path",
                    path,
                    "error",
                    e);
            return false;
        }
        reports.gone(path.toString(), "open");
        try {
            if (channel.size() == 0) {
                // emptied since it was listed: nothing to identify it by; listed again once it has content
                known.started(found);
                close(channel);
                return false;
            }
            Optional<StartRule.Start> start = startRule.decide(key, channel, known.takeDrained(key));
            known.started(found);
            if (start.isEmpty()) {
                close(channel);
                return false;
            }
            Optional<FileOrigins.Origin> origin = origins.of(path);
            if (origin.isEmpty()) {
                close(channel);
                return false;
            }
            FileReader reader = reader(found.input(), path, key, channel, origin.get(), now);
            reader.begin(start.get().identity(), start.get().offset());
            reader.sizeListed(key.size());
            if (!readNow) {
                reader.park();
            }
            known.add(reader);
            diagnostics.debug(
                    "reading file",
                    "path",
                    path,
                    "file_id",
                    start.get().identity().id(),
                    "offset",
                    start.get().offset());
            return readNow;
        } catch (IOException e) {
            close(channel);
            reports.warn(
                    path.toString(),
                    "open",
                    "cannot read the start of a log file; retrying every poll interval",
                    "path",
                    path,
                    "error",
                    e);
            return false;
        }
    }

    private FileReader reader(
            GlobInput input, Path path, FileKey key, FileChannel channel, FileOrigins.Origin origin, long now) {
        LineFraming.Counters inputCounters = counters.computeIfAbsent(
                input.glob(),
                glob -> new LineFraming.Counters(
                        metrics.linesRead.labelValues(glob),
                        metrics.linesTruncated.labelValues(glob),
                        metrics.linesUnparsed.labelValues(glob)));
        LineFraming framing = new LineFraming(
                config.maxLineBytes(), config.multiline(), config.namespaceFromField(), inputCounters, intake, origin);
        return new FileReader(
                readerSettings,
                input.glob(),
                path,
                key,
                channel,
                checkpoints,
                framing,
                metrics.bytesRead.labelValues(input.glob()),
                buffer,
                wallNanos,
                now);
    }

    /**
     * Files readers may keep open: all but one of {@code SIGHTLINE_MAX_OPEN_FILES}, which is kept to
     * identify new files while every other place is taken.
     */
    private int readerPlaces() {
        return config.maxOpenFiles() - 1;
    }

    // ---- reading -----------------------------------------------------------------------------

    private boolean pollSafely(FileReader reader, long now) {
        try {
            if (!reader.isOpen() && reader.wantsToRead() && !reopen(reader, now)) {
                return false;
            }
            FileReader.Result result = reader.poll(now, allowance(reader));
            reports.gone(reader.path().toString(), "read");
            switch (result) {
                case READ -> {
                    known.read(reader);
                    return true;
                }
                case TRUNCATED -> {
                    truncated(reader, now);
                    return true;
                }
                case FINISHED -> known.drained(reader);
                default -> {
                    // IDLE, STALLED: nothing to do until more data, time or room
                }
            }
            return false;
        } catch (IOException e) {
            reports.warn(
                    reader.path().toString(),
                    "read",
                    "cannot read a log file; retrying",
                    "path",
                    reader.path(),
                    "error",
                    e);
            return false;
        }
    }

    /**
     * How much a reader may read now: what the in-flight bound has room for; when it has none but
     * nothing is being sent, a reader holding an unfinished line may read on to finish it (or the
     * held lines of many files could fill the bound and stop everything).
     */
    private long allowance(FileReader reader) {
        long room = intake.room();
        if (room > 0) {
            return Math.max(room, MIN_READ_BYTES);
        }
        return intake.idle() && reader.holds() ? CHUNK_BYTES : 0;
    }

    /** Opens a reader closed while idle again, if there is a place; its file has grown. */
    private boolean reopen(FileReader reader, long now) throws IOException {
        if (!known.roomToOpen(readerPlaces())) {
            return false;
        }
        Optional<FileChannel> opened = reader.key().open(reader.path(), opener, config.followSymlinks());
        if (opened.isEmpty()) {
            return false; // renamed away (another file may be at its path now): the next listing finds where it went
        }
        FileChannel channel = opened.get();
        boolean sameContent = reader.reopen(channel);
        known.reopened(reader);
        if (!sameContent) {
            truncated(reader, now); // truncated and rewritten while it was closed
            return false;
        }
        return true;
    }

    /** Truncated in place: read the rest from the rotated copy, or count it as lost; then the next generation. */
    private void truncated(FileReader reader, long now) {
        Optional<RotatedCopyFinder.Continuation> copy =
                finder.find(reader.path(), reader.identity(), reader.offset(), known::beingRead);
        if (copy.isPresent()) {
            reader.drainCopy(copy.get().channel());
            diagnostics.info(
                    "file truncated in place (copytruncate); reading the rest from the rotated copy",
                    "path",
                    reader.path(),
                    "copy",
                    copy.get().path(),
                    "offset",
                    reader.offset());
            return;
        }
        long lost = reader.nextGeneration(now);
        if (lost > 0) {
            lost(reader.path(), lost);
        } else {
            diagnostics.info(
                    "file truncated in place (copytruncate) after it was read to the end", "path", reader.path());
        }
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

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only
        }
    }
}
