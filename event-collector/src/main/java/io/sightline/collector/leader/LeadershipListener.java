package io.sightline.collector.leader;

/** Told when this instance starts and stops leading. Calls never overlap; they must not block. */
public interface LeadershipListener {

    void startLeading();

    void stopLeading();
}
