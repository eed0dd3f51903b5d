package io.sightline.sidecar.ship.loki;

import java.util.Optional;

import io.sightline.sidecar.metrics.Diagnostics;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyError;

/**
 * The Loki push format this process can actually send. The protobuf push is snappy-compressed, and snappy-java
 * unpacks its native library into the temporary directory when first used (it has no pure-Java fallback): in a
 * container with a read-only root file system and no writable {@code /tmp}, that fails, and every push would
 * throw. The JSON push needs no native code, so the sidecar ships that instead and says why, rather than
 * failing at its first push and restarting in a loop.
 */
public final class PushFormats {

    private PushFormats() {}

    /** {@code settings}, or the same with the JSON push when protobuf cannot be sent here (warned once). */
    public static LokiSettings usable(LokiSettings settings, Diagnostics diagnostics) {
        if (settings.format() != LokiSettings.Format.PROTOBUF) {
            return settings;
        }
        Optional<Throwable> cause = snappyUnavailable();
        if (cause.isEmpty()) {
            return settings;
        }
        diagnostics.warn(
                "snappy's native library cannot load, so Loki gets the JSON push instead of protobuf (the same entries"
                        + " in more bytes); give the container a writable /tmp (an emptyDir volume) for protobuf,"
                        + " or set SIGHTLINE_LOKI_FORMAT=json to choose JSON",
                "cause",
                cause.get());
        return new LokiSettings(
                settings.http(), LokiSettings.Format.JSON, settings.tenantId(), settings.defaultServiceName());
    }

    /** Loads snappy's native library if it is not loaded yet; why it cannot be, or empty. */
    static Optional<Throwable> snappyUnavailable() {
        try {
            Snappy.maxCompressedLength(1);
            return Optional.empty();
        } catch (LinkageError | SnappyError e) {
            return Optional.of(e);
        }
    }
}
