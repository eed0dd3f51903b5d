package io.sightline.telemetry.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What the starter keeps per request combination (tag sets, timers), bounded: a client chooses the method, so a
 * hostile one could otherwise grow it; past {@code capacity} entries nothing more is kept and callers build
 * the value every time, as the library does.
 */
class BoundedCache<K, V> {

    private final ConcurrentMap<K, V> entries = new ConcurrentHashMap<>();

    private final int capacity;

    BoundedCache(int capacity) {
        this.capacity = capacity;
    }

    /** The value kept for {@code key}, or null. */
    final V find(K key) {
        return this.entries.get(key);
    }

    /** Keeps {@code built} for {@code key} while there is room; returns it. */
    final V keep(K key, V built) {
        if (this.entries.size() < this.capacity) {
            this.entries.putIfAbsent(key, built);
        }
        return built;
    }

    final void clear() {
        this.entries.clear();
    }

    final int size() {
        return this.entries.size();
    }
}
