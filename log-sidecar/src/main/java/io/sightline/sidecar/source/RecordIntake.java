package io.sightline.sidecar.source;

import io.sightline.sidecar.parse.LogRecord;

/**
 * Where the source hands records to the delivery stage. It never blocks: when the in-flight bound is
 * reached a record is refused, and the reader reads it again later (the file is the buffer), while
 * it goes on watching its files. Unfinished lines and records being joined, held by readers, count
 * against the same bound.
 */
public interface RecordIntake {

    /** Takes the record, unless the in-flight bound is reached or the intake is closed (shutdown). */
    boolean offer(LogRecord record);

    /** Takes the record even beyond the bound: for bytes that cannot be read again (a file truncated under us). */
    boolean force(LogRecord record);

    /** How many more bytes may be read before the bound is reached; 0 or less: pause reading. */
    long room();

    /** True when nothing is queued or being sent: then a reader holding an unfinished line may read on to finish it. */
    boolean idle();

    /** Readers hold {@code deltaBytes} more (negative: fewer) of unfinished lines and records being joined. */
    void held(long deltaBytes);

    boolean closed();
}
