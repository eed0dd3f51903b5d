package io.sightline.collector.pipeline;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.sightline.collector.checkpoint.ConfigMapCheckpointStore;
import io.sightline.collector.config.CollectorProperties;
import io.sightline.collector.leader.Leadership;
import io.sightline.collector.leader.LeadershipListener;
import io.sightline.collector.metrics.CollectorMetrics;
import io.sightline.collector.metrics.CollectorMetrics.DropReason;
import io.sightline.collector.occurrence.Checkpoint;
import io.sightline.collector.occurrence.Occurrence;
import io.sightline.collector.occurrence.Occurrences;
import io.sightline.collector.output.RecordWriter;
import io.sightline.collector.watch.EventInformers;
import io.sightline.collector.watch.EventSink;
import io.sightline.collector.watch.KubeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector: informers feed every replica's view, only the leader turns new occurrences into records and
 * metric increases, and the leader checkpoints what it emitted so the next leader (or itself after a restart)
 * continues without duplicates. Notifications and leadership changes are serialised on this object's monitor.
 */
public final class EventCollector implements EventSink, LeadershipListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventCollector.class);

    private final CollectorProperties properties;
    private final Occurrences occurrences;
    private final CollectorMetrics metrics;
    private final RecordWriter writer;
    private final ConfigMapCheckpointStore checkpoints;
    private final EventInformers informers;
    private final Leadership leadership;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    /** Periodic and final checkpoint writes must not race each other (they would conflict on the ConfigMap). */
    private final Object checkpointWrite = new Object();

    private boolean leading;
    private boolean changedSinceCheckpoint;
    private ScheduledFuture<?> checkpointTask;
    private volatile Checkpoint lastSaved;
    private volatile boolean closed;

    public EventCollector(
            CollectorProperties properties,
            EventInformers informers,
            RecordWriter writer,
            ConfigMapCheckpointStore checkpoints,
            Leadership leadership,
            ScheduledExecutorService scheduler,
            CollectorMetrics metrics,
            Clock clock) {
        this.properties = properties;
        this.occurrences = new Occurrences(properties);
        this.informers = informers;
        this.writer = writer;
        this.checkpoints = properties.checkpoint().enabled() ? checkpoints : null;
        this.leadership = leadership;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Starts watching, and competes for leadership once the informers have synced: a leader must know every
     * stored event before it decides what is new.
     */
    public CompletableFuture<Void> start() {
        return informers
                .start(this)
                .thenRunAsync(
                        () -> {
                            if (!closed) {
                                leadership.start(this);
                            }
                        },
                        scheduler);
    }

    /** Readiness: the informers have listed everything and are watching. */
    public boolean isSynced() {
        return informers.hasSynced();
    }

    public synchronized boolean isLeading() {
        return leading;
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
        if (leading && occurrences.accepts(event)) {
            emitIfNew(event);
        }
    }

    @Override
    public synchronized void deleted(String uid) {
        if (leading) {
            occurrences.forget(uid);
            changedSinceCheckpoint = true;
        }
    }

    @Override
    public synchronized void startLeading() {
        if (closed) {
            return;
        }
        Occurrences.Takeover takeover = occurrences.takeOver(loadCheckpoint(), informers.snapshot(), clock.instant());
        if (takeover.hasGap()) {
            reportGap(takeover);
        }
        leading = true;
        metrics.leader(true);
        takeover.occurrences().forEach(this::emit);
        changedSinceCheckpoint = true;
        if (checkpoints != null) {
            long interval = properties.checkpoint().interval().toMillis();
            checkpointTask = scheduler.scheduleWithFixedDelay(
                    this::checkpointIfChanged, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stopLeading() {
        // no final checkpoint here: another replica may already lead and write its own
        leading = false;
        metrics.leader(false);
        if (checkpointTask != null) {
            checkpointTask.cancel(false);
            checkpointTask = null;
        }
    }

    /**
     * Graceful stop: a leader writes a last checkpoint and releases its lease so the follower takes over at once
     * with nothing to repeat; then the queued records are written. The collaborators are beans of their own and
     * are closed by the application context after this.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean wasLeading;
        synchronized (this) {
            wasLeading = leading;
        }
        if (wasLeading && checkpoints != null) {
            saveCheckpoint();
        }
        leadership.close();
        stopLeading();
        informers.close();
        writer.close();
    }

    private void emitIfNew(KubeEvent event) {
        occurrences.observe(event).ifPresent(this::emit);
    }

    private void emit(Occurrence occurrence) {
        metrics.occurrences(occurrence.event(), occurrence.increase());
        writer.submit(occurrence.event());
        changedSinceCheckpoint = true;
    }

    /** Without a readable checkpoint every stored event is emitted again: repeating is preferred to skipping. */
    private Optional<Checkpoint> loadCheckpoint() {
        if (checkpoints == null) {
            return Optional.empty();
        }
        return checkpoints.load().flatMap(bytes -> {
            try {
                return Optional.of(Occurrences.decode(bytes));
            } catch (IllegalArgumentException e) {
                log.warn(
                        "Ignoring unreadable checkpoint in ConfigMap {} ({}); every event currently stored counts as "
                                + "new. It is overwritten by the next checkpoint.",
                        checkpoints.describe(),
                        e.getMessage());
                return Optional.empty();
            }
        });
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

    private void checkpointIfChanged() {
        synchronized (this) {
            if (!leading || !changedSinceCheckpoint) {
                return;
            }
            changedSinceCheckpoint = false;
        }
        saveCheckpoint();
    }

    private void saveCheckpoint() {
        synchronized (checkpointWrite) {
            Checkpoint checkpoint;
            synchronized (this) {
                Instant now = clock.instant();
                checkpoint = occurrences.checkpoint(now);
            }
            try {
                checkpoints.save(Occurrences.encode(checkpoint, ConfigMapCheckpointStore.MAX_BYTES));
                lastSaved = checkpoint;
            } catch (RuntimeException e) {
                synchronized (this) {
                    changedSinceCheckpoint = true;
                }
                log.warn(
                        "Writing the checkpoint ConfigMap failed ({}); retrying in {}. Until it succeeds a restart may "
                                + "repeat recent events. Check the Role in event-collector/k8s/role.yaml.",
                        e.toString(),
                        properties.checkpoint().interval());
            }
        }
    }
}
