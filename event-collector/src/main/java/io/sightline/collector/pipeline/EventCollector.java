package io.sightline.collector.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.sightline.collector.checkpoint.ConfigMapCheckpointStore;
import io.sightline.collector.config.CollectorProperties;
import io.sightline.collector.leader.Leadership;
import io.sightline.collector.leader.LeadershipListener;
import io.sightline.collector.metrics.CollectorMetrics;
import io.sightline.collector.metrics.CollectorMetrics.CheckpointOperation;
import io.sightline.collector.metrics.CollectorMetrics.DropReason;
import io.sightline.collector.occurrence.Checkpoint;
import io.sightline.collector.occurrence.Occurrence;
import io.sightline.collector.occurrence.Occurrences;
import io.sightline.collector.output.RecordWriter;
import io.sightline.collector.output.WriteListener;
import io.sightline.collector.watch.EventInformers;
import io.sightline.collector.watch.EventSink;
import io.sightline.collector.watch.KubeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector: informers feed every replica's view, only the leader turns new occurrences into records and
 * metric increases, and the leader checkpoints what was written so the next leader (or itself after a restart)
 * continues without repeating it.
 * <p>
 * Threads: informer notifications, the writer's confirmations and leadership changes only take this object's
 * monitor for in-memory work. Everything that waits for the API (reading the checkpoint on takeover, writing it)
 * runs on the {@code worker}, so losing the Lease stops emission at once even while a checkpoint write is stuck.
 */
public final class EventCollector implements EventSink, LeadershipListener, WriteListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventCollector.class);
    private static final long DRAIN_MILLIS = 10_000;

    private enum Phase {
        FOLLOWING,
        TAKING_OVER,
        LEADING
    }

    private final CollectorProperties properties;
    private final Occurrences occurrences;
    private final EventInformers informers;
    private final RecordWriter writer;
    private final ConfigMapCheckpointStore checkpoints;
    private final Leadership leadership;
    private final ScheduledExecutorService worker;
    private final CollectorMetrics metrics;
    private final Clock clock;
    /** A quiet leader still refreshes its checkpoint this often, so a crash is not taken for a gap. */
    private final Duration heartbeat;

    private Phase phase = Phase.FOLLOWING;
    /** Changes with every start and stop of leading: work begun for an older term is dropped. */
    private long term;

    private boolean changedSinceCheckpoint;
    private Instant lastSavedAt;
    private ScheduledFuture<?> periodic;
    private String takeoverProblem;
    private volatile Checkpoint lastSaved;
    private volatile boolean closed;

    public EventCollector(
            CollectorProperties properties,
            Occurrences occurrences,
            EventInformers informers,
            RecordWriter writer,
            ConfigMapCheckpointStore checkpoints,
            Leadership leadership,
            ScheduledExecutorService worker,
            CollectorMetrics metrics,
            Clock clock) {
        this.properties = properties;
        this.occurrences = occurrences;
        this.informers = informers;
        this.writer = writer;
        this.checkpoints = properties.checkpoint().enabled() ? checkpoints : null;
        this.leadership = leadership;
        this.worker = worker;
        this.metrics = metrics;
        this.clock = clock;
        this.heartbeat = properties.eventTtl().dividedBy(10);
    }

    /**
     * Starts writing and watching, and competes for leadership once the informers have synced: a leader must know
     * every stored event before it decides what is new.
     */
    public CompletableFuture<Void> start() {
        writer.start(this);
        return informers
                .start(this)
                .thenRunAsync(
                        () -> {
                            if (!closed) {
                                leadership.start(this);
                            }
                        },
                        worker);
    }

    /** Readiness: the informers have listed everything and are watching, and a leader could read its checkpoint. */
    public boolean isSynced() {
        return informers.hasSynced();
    }

    /** Why a leader has not started emitting yet (e.g. the checkpoint cannot be read), empty when nothing is wrong. */
    public synchronized Optional<String> takeoverProblem() {
        return Optional.ofNullable(takeoverProblem);
    }

    /** True while this replica emits. */
    public synchronized boolean isLeading() {
        return emitting();
    }

    /** The checkpoint this instance wrote last, if any. */
    public Optional<Checkpoint> lastSavedCheckpoint() {
        return Optional.ofNullable(lastSaved);
    }

    /** Records waiting for the writer. */
    public int queuedRecords() {
        return writer.queued();
    }

    @Override
    public synchronized void upsert(KubeEvent event) {
        if (!occurrences.accepts(event)) {
            return;
        }
        occurrences.observe(event, clock.instant(), emitting()).ifPresent(this::emit);
    }

    @Override
    public synchronized void deleted(KubeEvent event) {
        if (occurrences.tracks(event.uid())) {
            occurrences.gone(event);
            changedSinceCheckpoint = true;
        }
    }

    @Override
    public synchronized void written(KubeEvent event) {
        occurrences.written(event);
        changedSinceCheckpoint = true;
    }

    @Override
    public synchronized void notWritten(KubeEvent event) {
        occurrences.notWritten(event);
    }

    /** Called on the elector's thread: the blocking part of taking over runs on the worker. */
    @Override
    public synchronized void startLeading() {
        if (closed) {
            return;
        }
        long myTerm = ++term;
        phase = Phase.TAKING_OVER;
        schedule(() -> takeOver(myTerm), 0);
    }

    /** Called on the elector's thread (or when the Lease was not renewed in time): stops emitting at once. */
    @Override
    public synchronized void stopLeading() {
        stopEmitting();
    }

    /**
     * Graceful stop: stop emitting, let the writer finish what was queued, write the last checkpoint (so the next
     * leader repeats nothing), then release the Lease so a follower takes over at once.
     */
    @Override
    public void close() {
        boolean wasLeading;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            wasLeading = phase == Phase.LEADING;
            stopEmitting();
        }
        informers.close();
        if (!writer.drain(DRAIN_MILLIS)) {
            log.warn(
                    "The writer did not finish within {} ms; the last checkpoint may miss its last records",
                    DRAIN_MILLIS);
        }
        if (wasLeading && checkpoints != null) {
            saveCheckpoint(true);
        }
        leadership.close();
    }

    /** Emitting needs the phase and a Lease renewed within the renew deadline. */
    private boolean emitting() {
        if (phase != Phase.LEADING) {
            return false;
        }
        if (!leadership.holdsLease()) {
            log.warn("The Lease was not renewed within the renew deadline: no longer emitting");
            stopEmitting();
            return false;
        }
        return true;
    }

    private void stopEmitting() {
        term++;
        phase = Phase.FOLLOWING;
        takeoverProblem = null;
        metrics.leader(false);
        if (periodic != null) {
            periodic.cancel(false);
            periodic = null;
        }
    }

    private void emit(Occurrence occurrence) {
        metrics.occurrences(occurrence.event(), occurrence.increase(), occurrence.seenAtMillis());
        writer.submit(occurrence.event());
    }

    /**
     * On the worker: reads the checkpoint (a failed read is retried; it is not a first start), then, if this term
     * still leads, seeds the state from it, emits what is new, and claims the checkpoint with a first write.
     */
    private void takeOver(long myTerm) {
        Optional<Checkpoint> checkpoint;
        try {
            checkpoint = loadCheckpoint();
        } catch (ConfigMapCheckpointStore.Unavailable e) {
            metrics.checkpointFailed(CheckpointOperation.READ);
            synchronized (this) {
                if (term != myTerm) {
                    return;
                }
                takeoverProblem = "cannot read the checkpoint ConfigMap: " + e.getMessage();
            }
            log.warn(
                    "Cannot read the checkpoint ConfigMap {} ({}); not emitting until it can be read (retrying in {}). "
                            + "Check the Role in event-collector/k8s/role.yaml.",
                    checkpoints.describe(),
                    e.getMessage(),
                    properties.checkpoint().interval());
            schedule(() -> takeOver(myTerm), properties.checkpoint().interval().toMillis());
            return;
        }
        synchronized (this) {
            if (term != myTerm || closed) {
                return;
            }
            Occurrences.Takeover takeover = occurrences.takeOver(checkpoint, informers.snapshot(), clock.instant());
            if (takeover.hasGap()) {
                reportGap(takeover);
            }
            takeoverProblem = null;
            phase = Phase.LEADING;
            metrics.leader(true);
            takeover.occurrences().forEach(this::emit);
            changedSinceCheckpoint = true;
            lastSavedAt = null;
            if (checkpoints != null) {
                long interval = properties.checkpoint().interval().toMillis();
                periodic = worker.scheduleWithFixedDelay(this::everyInterval, 0, interval, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** An unreadable checkpoint (corrupt, foreign) is ignored: repeating is preferred to skipping. */
    private Optional<Checkpoint> loadCheckpoint() {
        if (checkpoints == null) {
            return Optional.empty();
        }
        try {
            Optional<byte[]> stored = checkpoints.load();
            if (stored.isEmpty()) {
                log.info(
                        "No checkpoint in ConfigMap {}: every event currently stored counts as new",
                        checkpoints.describe());
            }
            return stored.map(Occurrences::decode);
        } catch (IllegalArgumentException e) {
            log.warn(
                    "Ignoring unreadable checkpoint in ConfigMap {} ({}); every event currently stored counts as new. "
                            + "It is overwritten by the next checkpoint.",
                    checkpoints.describe(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Logged once per takeover, and counted as one {@code records_dropped_total{reason="gap"}}. */
    private void reportGap(Occurrences.Takeover takeover) {
        metrics.dropped(DropReason.GAP);
        log.warn(
                "Event gap: occurrences between {} and {} may be lost. No collector was leading for longer than "
                        + "the event TTL ({}), so events that changed in that time have expired. Keep two replicas "
                        + "running to avoid this.",
                takeover.gapFrom(),
                takeover.gapTo(),
                properties.eventTtl());
    }

    /** On the worker while leading: writes lost records again, and the checkpoint when due. */
    private void everyInterval() {
        synchronized (this) {
            if (!emitting()) {
                return;
            }
            retryLostRecords();
        }
        saveCheckpoint(false);
    }

    private void retryLostRecords() {
        Set<String> uids = occurrences.toRetry();
        if (uids.isEmpty() || writer.queued() > 0) {
            return;
        }
        informers.snapshot().stream()
                .filter(e -> uids.contains(e.uid()))
                .forEach(e -> occurrences.retry(e).ifPresent(this::emit));
    }

    /**
     * Writes the checkpoint when something changed, or the last one is older than the heartbeat (a quiet cluster).
     * A conflict means another replica wrote meanwhile: this one no longer holds the Lease and stops emitting.
     */
    private void saveCheckpoint(boolean last) {
        Occurrences.StoredCheckpoint checkpoint;
        Instant now;
        synchronized (this) {
            now = clock.instant();
            boolean due = changedSinceCheckpoint || lastSavedAt == null || !now.isBefore(lastSavedAt.plus(heartbeat));
            if (!due || (!last && phase != Phase.LEADING)) {
                return;
            }
            checkpoint = occurrences.checkpoint(now);
            changedSinceCheckpoint = false;
        }
        try {
            checkpoints.save(checkpoint.bytes(), leadership.identity());
            lastSaved = checkpoint.checkpoint();
            metrics.checkpointSaved(checkpoint.bytes().length);
            synchronized (this) {
                lastSavedAt = now;
            }
        } catch (ConfigMapCheckpointStore.Conflict e) {
            metrics.checkpointFailed(CheckpointOperation.WRITE);
            onConflict();
        } catch (ConfigMapCheckpointStore.Unavailable e) {
            metrics.checkpointFailed(CheckpointOperation.WRITE);
            synchronized (this) {
                changedSinceCheckpoint = true;
            }
            log.warn(
                    "Writing the checkpoint ConfigMap {} failed ({}); retrying in {}. Until it succeeds a restart may "
                            + "repeat recent events. Check the Role in event-collector/k8s/role.yaml.",
                    checkpoints.describe(),
                    e.getMessage(),
                    properties.checkpoint().interval());
        }
    }

    /**
     * Another replica wrote the checkpoint since this one read it. If the Lease (asked now) names this replica, it
     * is the leader and the other one was deposed (its write was late): read the new version and write again.
     * Otherwise this replica is the deposed one: it stops emitting and leaves the checkpoint to the leader.
     */
    private void onConflict() {
        if (leadership.confirmedByTheLease()) {
            log.warn(
                    "A deposed leader wrote the checkpoint ConfigMap {} late; writing it again",
                    checkpoints.describe());
            try {
                checkpoints.load();
            } catch (ConfigMapCheckpointStore.Unavailable | IllegalArgumentException e) {
                log.debug("Re-reading the checkpoint version failed; retrying with the next write", e);
            }
            synchronized (this) {
                changedSinceCheckpoint = true;
            }
            return;
        }
        log.warn(
                "Another replica wrote the checkpoint ConfigMap {}: it leads now; this one stops emitting",
                checkpoints.describe());
        synchronized (this) {
            stopEmitting();
        }
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            worker.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Not scheduling: the collector stopped", e);
        }
    }
}
