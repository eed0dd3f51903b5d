package io.sightline.collector.leader;

/** Told when this instance starts and stops leading. Calls never overlap. */
public interface LeadershipListener {

    void startLeading();

    void stopLeading();
}
