package io.sightline.sidecar.source;

import java.util.HashSet;
import java.util.Set;

import io.sightline.sidecar.metrics.Diagnostics;

/** Warns about a lasting problem once, not on every poll; again only after it went away and came back. */
final class OnceReports {

    private final Diagnostics diagnostics;
    private final Set<String> reported = new HashSet<>();

    OnceReports(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    void warn(String subject, String kind, String message, Object... keyValues) {
        if (reported.add(kind + '\u0000' + subject)) {
            diagnostics.warn(message, keyValues);
        }
    }

    void gone(String subject, String kind) {
        reported.remove(kind + '\u0000' + subject);
    }
}
