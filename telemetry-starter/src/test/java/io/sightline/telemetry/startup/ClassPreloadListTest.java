package io.sightline.telemetry.startup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped preload list still names the feature libraries' classes: after an upgrade that renames or drops
 * many of them, regenerate it with {@code benchmarks/starter/preload-classes.sh}. A few missing names are
 * tolerated (the preload skips them; the list comes from the demo service's class path, not the starter's).
 */
class ClassPreloadListTest {

    /** Share of listed classes that must exist; below it the list is out of date. */
    private static final double MIN_PRESENT = 0.95;

    @Test
    void theListedClassesExist() throws IOException {
        List<String> names = listedClasses();
        List<String> missing = names.stream().filter(name -> !exists(name)).toList();

        assertThat(names).hasSizeGreaterThan(1000);
        assertThat(1.0 - (double) missing.size() / names.size())
                .as(
                        "share of the preload list found; missing: %s; regenerate it with "
                                + "benchmarks/starter/preload-classes.sh",
                        missing)
                .isGreaterThanOrEqualTo(MIN_PRESENT);
    }

    private static List<String> listedClasses() throws IOException {
        try (InputStream list =
                ClassPreloadListTest.class.getClassLoader().getResourceAsStream(ClassPreloadListener.CLASS_LIST)) {
            assertThat(list).as(ClassPreloadListener.CLASS_LIST).isNotNull();
            return new String(list.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        }
    }

    private static boolean exists(String name) {
        try {
            Class.forName(name, false, ClassPreloadListTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
