package io.sightline.sidecar.node.meta.kube;

import java.time.Duration;

import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.node.meta.PodMetadataSource;

/**
 * A separate JVM for {@link KubeDiagnosticsTest}: the node mode's entry point, configured through fabric8's
 * system properties to an API server that is not there.
 */
public final class UnreachableApiServer {

    private UnreachableApiServer() {}

    public static void main(String[] args) throws InterruptedException {
        try (PodMetadataSource source =
                KubePodMetadata.connect("node-1", 10, Duration.ofMinutes(5), Diagnostics.stderr("info"))) {
            // the test ends this process once the failure was reported
            Thread.sleep(Duration.ofMinutes(5).toMillis());
        }
    }
}
