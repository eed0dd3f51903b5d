package io.sightline.local.process;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The launcher's background timers: one named daemon thread each, so they never keep the JVM alive. */
public final class DaemonThreads {

    private DaemonThreads() {}

    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }
}
