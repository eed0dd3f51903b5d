package io.sightline.telemetry.startup;

/** A class on the test preload list whose static initialiser records that it ran. */
final class PreloadedFirst {

    static {
        InitialisationRecorder.INITIALISED.add(PreloadedFirst.class);
    }

    private PreloadedFirst() {}
}
