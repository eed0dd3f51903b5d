package io.sightline.telemetry.startup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped preload list names the classes of the application's libraries, not only the feature libraries', and
 * they still exist: after an upgrade that renames or drops many of them, regenerate it with
 * {@code benchmarks/starter/preload-classes.sh}. A few missing names are tolerated (the preload skips them; the
 * list comes from the demo service's class path, not the starter's).
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

    /**
     * The main thread loads Spring's, Tomcat's, Jackson's and Logback's classes too, more than three times as many as the
     * feature libraries' (docs/benchmarks.md), and the starter's own start-up is what it is compared by.
     */
    @Test
    void theListCoversTheApplicationsLibrariesInLoadOrder() throws IOException {
        List<String> names = listedClasses();

        assertThat(names)
                .hasSizeGreaterThan(4000)
                .containsSubsequence(
                        "ch.qos.logback.classic.LoggerContext",
                        "tools.jackson.databind.ObjectMapper",
                        "org.springframework.context.support.AbstractApplicationContext",
                        "org.apache.catalina.core.StandardContext")
                .contains("io.sentry.Sentry", "io.opentelemetry.api.trace.Tracer");
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
