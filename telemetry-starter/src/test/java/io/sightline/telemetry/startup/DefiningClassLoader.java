package io.sightline.telemetry.startup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A class loader that defines the given classes itself (from the test class path's bytes) and leaves every
 * other class to its parent, so a test can tell whether one of them was loaded through it, and has a hook that
 * runs before such a class is defined (to hold or break the loading thread).
 */
final class DefiningClassLoader extends ClassLoader {

    private final Set<String> ownClasses;

    private final Consumer<String> beforeDefining;

    DefiningClassLoader(Set<String> ownClasses, Consumer<String> beforeDefining) {
        super(DefiningClassLoader.class.getClassLoader());
        this.ownClasses = ownClasses;
        this.beforeDefining = beforeDefining;
    }

    DefiningClassLoader(Set<String> ownClasses) {
        this(ownClasses, name -> {});
    }

    /** Whether this loader has defined the class (without loading it). */
    boolean defined(String name) {
        return findLoadedClass(name) != null;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!this.ownClasses.contains(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                this.beforeDefining.accept(name);
                byte[] bytes = bytesOf(name);
                loaded = defineClass(name, bytes, 0, bytes.length);
            }
            return loaded;
        }
    }

    private byte[] bytesOf(String name) {
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
