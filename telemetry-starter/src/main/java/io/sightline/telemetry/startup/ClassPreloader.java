package io.sightline.telemetry.startup;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Loads the classes named in a list resource, one name per line ({@code #} starts a comment), on one daemon
 * thread, so that the application's main thread finds them already defined.
 * <p>
 * Classes are loaded, never initialised ({@code Class.forName(name, false, loader)}): no static initialiser runs
 * on this thread, so there is no class-initialisation deadlock with the main thread and nothing behaves
 * differently. A class that is missing (a library left out, renamed in another version) is skipped; anything else
 * thrown ends the preload and nothing more: the main thread loads what it needs itself, as without the preload.
 */
final class ClassPreloader {

    static final String THREAD_NAME = "sightline-preload";

    private final String classList;

    private final ClassLoader classLoader;

    private volatile boolean stopped;

    /**
     * @param classList resource naming the classes, in the order the application first needs them
     * @param classLoader the application's class loader, which reads the list and loads the classes
     */
    ClassPreloader(String classList, ClassLoader classLoader) {
        this.classList = classList;
        this.classLoader = classLoader;
    }

    /** Starts the thread; it ends when the list is done or {@link #stop()} is called. */
    Thread start() {
        Thread thread = new Thread(this::loadAll, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** No further class is loaded; one being loaded completes. */
    void stop() {
        this.stopped = true;
    }

    private void loadAll() {
        try (InputStream list = this.classLoader.getResourceAsStream(this.classList)) {
            if (list == null) {
                return;
            }
            BufferedReader names = new BufferedReader(new InputStreamReader(list, StandardCharsets.UTF_8));
            for (String line = names.readLine(); line != null && !this.stopped; line = names.readLine()) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    load(name);
                }
            }
        } catch (Throwable unexpected) {
            // Only the head start is lost: the main thread loads what it needs itself.
        }
    }

    private void load(String name) {
        try {
            Class.forName(name, false, this.classLoader);
        } catch (ClassNotFoundException | LinkageError missing) {
            // Not on this class path (or not loadable here): the application will not need it from us either.
        }
    }
}
