package io.sightline.telemetry.startup;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the preload tests' target classes record that their static initialiser ran (public: those classes are
 * defined by another class loader, so they are in another runtime package).
 */
public final class InitialisationRecorder {

    public static final Set<Class<?>> INITIALISED = ConcurrentHashMap.newKeySet();

    private InitialisationRecorder() {}
}
