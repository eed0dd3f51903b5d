package io.sightline.collector.output;

import io.sightline.collector.watch.KubeEvent;

/** Told, on the writer thread, which records reached the file and which were lost. */
public interface WriteListener {

    /** The record was written and flushed to the operating system. */
    void written(KubeEvent event);

    /** The record was lost: the queue was full, or the file could not be written. */
    void notWritten(KubeEvent event);
}
