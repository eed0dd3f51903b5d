package io.sightline.sidecar.ship;

import java.io.IOException;
import java.util.List;

import io.sightline.sidecar.parse.LogRecord;

/**
 * A destination for records (Loki, OpenSearch, stdout). A sink makes one attempt per call and
 * says what became of every record; retries, back-off, metrics and checkpoints belong to the
 * delivery stage, so every sink behaves the same under failure.
 */
public interface Sink extends AutoCloseable {

    /** The value of the {@code sink} metric label: {@code loki}, {@code opensearch}, {@code stdout}. */
    String name();

    /**
     * Sends one batch (records in read order). Throws {@link IOException} when the server could
     * not be reached or the connection broke: the delivery stage retries the whole batch.
     */
    SendResult send(List<LogRecord> batch) throws IOException;

    /**
     * At start-up, once, on the thread that built the sink: asks the destination whether it answers and logs what
     * it said ({@code SIGHTLINE_SINK_HEALTHCHECK}). Only logs, never throws, ends within its own deadline; no
     * push waits for it. Sinks without a destination to ask do nothing.
     */
    default void checkDestination() {}

    @Override
    default void close() {}
}
