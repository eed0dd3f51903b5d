package io.sightline.telemetry.metrics;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;

/**
 * Micrometer's meter handler for server request observations (servlet and WebFlux), with the meters it looks up
 * for every request kept per combination instead: Micrometer 1.16's handler turns the observation's tags into a
 * list of {@code Tag}s and registers its timer (id, sorted tags, the registry's lookup) on every stop, and its
 * long-task timer on every start. Here a request costs one look-up by what those meters are made of (the
 * observation's name, its low-cardinality tags as they are when the meter is made, and for the timer the error's
 * class, which gives the {@code error} tag), then {@code sample.stop(timer)}; a miss asks the registry exactly as
 * Micrometer does, so every meter is the registry's own, with its filters, SLO buckets and exemplars.
 * <p>
 * Bounded by {@link #MAX_CACHED} entries per meter type (a client chooses the method); past it meters are looked
 * up in the registry on every request, as Micrometer does. A meter removed from the registry empties the caches,
 * so that a removed timer is registered again, as it would be without them. Other observations are left to the
 * next handler (Micrometer's own).
 */
final class CachingServerRequestMeterHandler extends DefaultMeterObservationHandler {

    static final int MAX_CACHED = 1024;

    private final MeterRegistry registry;

    private final boolean longTaskTimers;

    private final BoundedCache<MeterKey, Timer> timers = new BoundedCache<>(MAX_CACHED);

    private final BoundedCache<MeterKey, LongTaskTimer> activeTimers = new BoundedCache<>(MAX_CACHED);

    CachingServerRequestMeterHandler(MeterRegistry registry, IgnoredMeters... ignoredMeters) {
        super(registry, ignoredMeters);
        this.registry = registry;
        this.longTaskTimers = !List.of(ignoredMeters).contains(IgnoredMeters.LONG_TASK_TIMER);
        registry.config().onMeterRemoved(meter -> {
            this.timers.clear();
            this.activeTimers.clear();
        });
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof org.springframework.http.server.observation.ServerRequestObservationContext
                || context
                        instanceof org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
    }

    @Override
    public void onStart(Observation.Context context) {
        if (this.longTaskTimers) {
            MeterKey key = new MeterKey(context.getName() + ".active", context.getLowCardinalityKeyValues(), null);
            LongTaskTimer active = this.activeTimers.find(key);
            if (active == null) {
                active = this.activeTimers.keep(key, this.registry.more().longTaskTimer(key.name(), key.tags()));
            }
            context.put(LongTaskTimer.Sample.class, active.start());
        }
        context.put(Timer.Sample.class, Timer.start(this.registry));
    }

    @Override
    public void onStop(Observation.Context context) {
        Throwable error = context.getError();
        MeterKey key = new MeterKey(
                context.getName(), context.getLowCardinalityKeyValues(), (error != null) ? error.getClass() : null);
        Timer timer = this.timers.find(key);
        if (timer == null) {
            timer = this.timers.keep(key, this.registry.timer(key.name(), key.tagsWithError()));
        }
        context.<Timer.Sample>getRequired(Timer.Sample.class).stop(timer);
        if (this.longTaskTimers) {
            context.<LongTaskTimer.Sample>getRequired(LongTaskTimer.Sample.class)
                    .stop();
        }
    }

    int cached() {
        return this.timers.size();
    }

    /** What a meter of a request is made of; equal keys make the same meter. */
    private record MeterKey(String name, KeyValues keyValues, Class<?> error) {

        List<Tag> tags() {
            List<Tag> tags = new ArrayList<>();
            for (KeyValue keyValue : this.keyValues) {
                tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
            }
            return tags;
        }

        /** {@link #tags()} and Micrometer's {@code error} tag: the error's simple class name, or {@code none}. */
        List<Tag> tagsWithError() {
            List<Tag> tags = tags();
            tags.add(Tag.of("error", (this.error != null) ? this.error.getSimpleName() : "none"));
            return tags;
        }
    }
}
