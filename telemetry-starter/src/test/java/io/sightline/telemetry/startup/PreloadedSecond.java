package io.sightline.telemetry.startup;

/** A class on the test preload list whose static initialiser records that it ran. */
final class PreloadedSecond {

    static {
        InitialisationRecorder.INITIALISED.add(PreloadedSecond.class);
    }

    private PreloadedSecond() {}
}
