package io.sightline.telemetry.tracing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties.Propagation.PropagationType;

/**
 * Boot's propagator (injection and fields unchanged) with an extract that gets the same context for
 * less work, for the configuration Boot built it from when no baggage remote field is configured.
 *
 * <p>Boot tries the consumed formats in order and stops at the first that finds a context; then
 * Micrometer's remote-fields propagator copies the baggage into a new, equal one and adds nothing
 * (it reads only the remote fields). Here: the same extractors in the same order, except that
 * {@code B3} and {@code B3_MULTI} are one extractor (OpenTelemetry's B3 propagator extracts both
 * forms whichever it injects, so the second can only repeat the first's miss), B3 is only asked
 * when a {@code b3} or {@code X-B3-TraceId} header is there (without either it returns the context
 * it was given), and the remote-fields step is left out. {@code LeanExtractPropagatorTest} compares
 * every result with Boot's own.
 */
final class LeanExtractPropagator implements TextMapPropagator {

    private static final TextMapPropagator B3 = B3Propagator.injectingSingleHeader();

    private final TextMapPropagator boots;

    private final List<TextMapPropagator> extractors;

    LeanExtractPropagator(TextMapPropagator boots, List<PropagationType> consumed, boolean baggage) {
        this.boots = boots;
        this.extractors = extractors(consumed, baggage);
    }

    /** Boot's mapping of a consumed type to its extractor, each extractor once. */
    private static List<TextMapPropagator> extractors(List<PropagationType> consumed, boolean baggage) {
        TextMapPropagator w3c = baggage
                ? TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())
                : W3CTraceContextPropagator.getInstance();
        List<TextMapPropagator> extractors = new ArrayList<>();
        for (PropagationType type : consumed) {
            TextMapPropagator extractor =
                    switch (type) {
                        case W3C -> w3c;
                        case B3, B3_MULTI -> B3;
                    };
            if (!extractors.contains(extractor)) {
                extractors.add(extractor);
            }
        }
        return List.copyOf(extractors);
    }

    TextMapPropagator boots() {
        return this.boots;
    }

    @Override
    public Collection<String> fields() {
        return this.boots.fields();
    }

    @Override
    public <C> void inject(Context context, @Nullable C carrier, TextMapSetter<C> setter) {
        this.boots.inject(context, carrier, setter);
    }

    @Override
    public <C> Context extract(Context context, @Nullable C carrier, TextMapGetter<C> getter) {
        if (context == null) {
            return Context.root();
        }
        if (getter == null) {
            return context;
        }
        for (TextMapPropagator extractor : this.extractors) {
            if (extractor == B3 && carrier != null && !hasB3Header(carrier, getter)) {
                continue;
            }
            Context extracted = extractor.extract(context, carrier, getter);
            if (extracted != context) {
                return extracted;
            }
        }
        return context;
    }

    private static <C> boolean hasB3Header(C carrier, TextMapGetter<C> getter) {
        return getter.get(carrier, "b3") != null || getter.get(carrier, "X-B3-TraceId") != null;
    }
}
