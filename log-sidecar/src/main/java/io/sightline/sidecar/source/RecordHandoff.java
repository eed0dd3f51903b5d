package io.sightline.sidecar.source;

import io.sightline.sidecar.parse.LogRecord;

/** Where the reader hands records to the delivery stage. */
public interface RecordHandoff {

    /**
     * Blocks while the in-flight bound is reached (reading pauses, the file is the buffer).
     * Returns false when the sidecar is shutting down and the record was not taken.
     */
    boolean put(LogRecord record);
}
