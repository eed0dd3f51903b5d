package io.sightline.telemetry.logging;

import java.util.List;

/**
 * Why a log event was dropped: the {@code reason} label of {@code sightline_log_events_dropped_total}
 * (telemetry contract, section 4). The one list of the values; the contract test reads it.
 */
public enum DropReason {

    /** The starter's queue was full, in events or in bytes. */
    QUEUE_FULL("queue_full"),

    /** Masking, or an appender behind the queue, failed on the event. */
    WRITE_ERROR("write_error"),

    /** Direct OTLP export: the records waiting to be exported filled their bound (the endpoint is slow or down). */
    EXPORT_QUEUE_FULL("export_queue_full"),

    /** Direct OTLP export: the endpoint did not accept the records (refused connection, timeout, error answer). */
    EXPORT_FAILED("export_failed");

    /** The reasons of the log writer itself, counted whatever outputs are configured. */
    public static final List<DropReason> WRITER = List.of(QUEUE_FULL, WRITE_ERROR);

    /** The reasons of direct OTLP export, counted when it is configured. */
    public static final List<DropReason> EXPORT = List.of(EXPORT_QUEUE_FULL, EXPORT_FAILED);

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** The value of the metric's {@code reason} label. */
    public String label() {
        return this.label;
    }
}
