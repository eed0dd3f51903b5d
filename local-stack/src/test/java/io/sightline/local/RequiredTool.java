package io.sightline.local;

import java.nio.file.Path;
import java.util.Optional;

import io.sightline.local.process.Executables;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real tool from the Debian packages (prometheus, promtool, prometheus-alertmanager, amtool): tests that need
 * one skip with a message when it is missing locally, and fail when {@code CI=true}, where it must be installed.
 */
public final class RequiredTool {

    private RequiredTool() {}

    public static Path require(String... names) {
        Optional<Path> found = Executables.onPath(names);
        if (found.isEmpty()) {
            String message = String.join(" or ", names) + " is not on PATH; install it with: apt-get install -y "
                    + "--no-install-recommends prometheus prometheus-alertmanager (./sightline test does this when root)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            assumeTrue(false, message);
        }
        return found.get();
    }
}
