package io.sightline.collector.occurrence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.sightline.collector.config.CollectorProperties;
import io.sightline.collector.watch.KubeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's rules in one place: which events are in scope, which sighting is a new occurrence, what enters
 * the checkpoint (only what was written), what a new leader inherits from it and whether it finds a gap. Times
 * are the collector's own clock. The rule classes behind it are package-private and tested alone. Not
 * thread-safe: the collector calls it under one lock.
 */
public final class Occurrences {

    private static final Logger log = LoggerFactory.getLogger(Occurrences.class);

    private final EventFilter filter;
    private final OccurrenceTracker tracker;
    private final Duration eventTtl;
    private final Duration clockSkew;
    private final int maxCheckpointBytes;
    private int droppedForSize;

    /**
     * @param clockSkew          how far the clocks of two replicas may differ (inheritance keeps that margin)
     * @param maxCheckpointBytes the most the stored checkpoint may take
     * @param namespaces         told when a namespace gets its first event in scope and loses its last one
     */
    public Occurrences(
            CollectorProperties properties, Duration clockSkew, int maxCheckpointBytes, NamespaceListener namespaces) {
        this.filter = new EventFilter(properties);
        this.tracker = new OccurrenceTracker(namespaces);
        this.eventTtl = properties.eventTtl();
        this.clockSkew = clockSkew;
        this.maxCheckpointBytes = maxCheckpointBytes;
    }

    /** The configured scope: events outside it are neither written, counted nor tracked. */
    public boolean accepts(KubeEvent event) {
        return filter.accepts(event);
    }

    /**
     * Every replica remembers what it sees (and when, by its own clock); a leader also gets the occurrence the
     * sighting holds, counted and handed to the writer.
     */
    public Optional<Occurrence> observe(KubeEvent event, Instant now, boolean leading) {
        OccurrenceTracker.Entry entry = tracker.see(event, now.toEpochMilli());
        return leading ? tracker.claim(entry, event) : Optional.empty();
    }

    /** True when the uid is in scope and known (seen, not gone). */
    public boolean tracks(String uid) {
        return tracker.tracks(uid);
    }

    /** The event is gone from the API server (expired or deleted). */
    public void gone(KubeEvent event) {
        tracker.gone(event);
    }

    /** The writer wrote and flushed this record: it may enter the checkpoint. */
    public void written(KubeEvent event) {
        tracker.written(event.uid(), event.count());
    }

    /** The record was lost (queue full, write error): the checkpoint keeps the older count and it is retried. */
    public void notWritten(KubeEvent event) {
        tracker.notWritten(event.uid());
    }

    /** Uids whose record was lost; {@link #retry} hands their current state to the writer again. */
    public Set<String> toRetry() {
        return tracker.toRetry();
    }

    public Optional<Occurrence> retry(KubeEvent current) {
        return tracker.retry(current);
    }

    /**
     * Becoming leader: seeds counted and written state from the checkpoint (if any) and returns the occurrences the
     * stored events hold beyond it, and the gap the checkpoint reveals.
     */
    public Takeover takeOver(Optional<Checkpoint> checkpoint, List<KubeEvent> stored, Instant now) {
        List<KubeEvent> inScope = stored.stream().filter(filter::accepts).toList();
        Set<String> storedUids = new HashSet<>();
        inScope.forEach(e -> {
            storedUids.add(e.uid());
            tracker.see(e, now.toEpochMilli());
        });
        tracker.retainOnly(storedUids);
        tracker.takeOver(checkpoint, clockSkew);
        Optional<Gap> gap = checkpoint.flatMap(c -> Gap.between(c, now, eventTtl));
        List<Occurrence> occurrences = new ArrayList<>();
        inScope.forEach(e -> tracker.claim(tracker.entry(e.uid()), e).ifPresent(occurrences::add));
        return new Takeover(
                occurrences, gap.map(Gap::from).orElse(null), gap.map(Gap::to).orElse(null));
    }

    /**
     * What to store now: every event seen within the TTL with the count up to which records were written, within
     * the size limit (the oldest complete entries are left out and covered by the horizon). The first save that
     * has to leave entries out warns, and so does the first that no longer has to; saves in between do not.
     */
    public StoredCheckpoint checkpoint(Instant now) {
        Instant pruned = now.minus(eventTtl);
        CheckpointCodec.Encoded encoded = CheckpointCodec.encode(
                now, pruned, tracker.checkpointEntries(pruned.toEpochMilli()), maxCheckpointBytes);
        if (encoded.dropped() > 0 && droppedForSize == 0) {
            log.warn(
                    "The checkpoint of {} events exceeds what a ConfigMap holds; the {} oldest are left out and covered "
                            + "by its horizon ({}): a replica that started after that time repeats them once when it "
                            + "takes over. Lower sightline.collector.event-ttl or narrow the watched namespaces.",
                    encoded.checkpoint().uids().size() + encoded.dropped(),
                    encoded.dropped(),
                    encoded.checkpoint().horizon());
        } else if (encoded.dropped() == 0 && droppedForSize > 0) {
            log.info(
                    "The checkpoint fits its ConfigMap again ({} events)",
                    encoded.checkpoint().uids().size());
        }
        droppedForSize = encoded.dropped();
        return new StoredCheckpoint(encoded.bytes(), encoded.checkpoint());
    }

    /** @throws IllegalArgumentException when the bytes are not a checkpoint this version can read */
    public static Checkpoint decode(byte[] stored) {
        return CheckpointCodec.decode(stored);
    }

    /** A checkpoint and its stored form. */
    public record StoredCheckpoint(byte[] bytes, Checkpoint checkpoint) {}

    /**
     * What a new leader emits first, and the gap its checkpoint reveals: occurrences between {@code gapFrom} and
     * {@code gapTo} may be lost (both null when there is none).
     */
    public record Takeover(List<Occurrence> occurrences, Instant gapFrom, Instant gapTo) {

        public boolean hasGap() {
            return gapFrom != null;
        }
    }
}
