package io.sightline.collector.watch;

/** Receives the informers' notifications, already normalised. Called from informer threads. */
public interface EventSink {

    /** The event was added, updated, re-listed or resynced; whether that is an occurrence is decided later. */
    void upsert(KubeEvent event);

    /** The event is gone (expired or deleted, or replaced by a new object of the same name). */
    void deleted(KubeEvent event);
}
