package io.sightline.sidecar.node.meta.kube;

import java.time.Duration;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.node.meta.PodMetadataCache;
import io.sightline.sidecar.node.meta.PodMetadataSource;

/**
 * The node mode's one door to the Kubernetes API: everything that loads fabric8 lives in this package and
 * is reached only through here, so the sidecar mode never loads a fabric8 class. The client is fabric8's
 * JDK HTTP client (no Netty, no event loops), configured the usual way (in the pod: the service account;
 * elsewhere: {@code KUBECONFIG} or {@code ~/.kube/config}).
 */
public final class KubePodMetadata {

    static {
        // fabric8 logs through SLF4J, which without a provider prints plain-text notices onto stderr, where the
        // agent's diagnostics are JSON lines; list/watch failures reach the diagnostics through the informer
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    private KubePodMetadata() {}

    /** Watches the pods of {@code nodeName} with the automatically found configuration. */
    public static PodMetadataSource connect(
            String nodeName, int maxPods, Duration deletedGrace, Diagnostics diagnostics) {
        return connect(
                Config.autoConfigure(null),
                nodeName,
                new PodMetadataCache(maxPods, deletedGrace, System::nanoTime),
                diagnostics);
    }

    static PodMetadataSource connect(Config config, String nodeName, PodMetadataCache cache, Diagnostics diagnostics) {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException(
                    "the node name is unknown: set NODE_NAME from the Downward API (fieldRef spec.nodeName)");
        }
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory())
                .build();
        try {
            return PodWatch.start(client, nodeName, cache, diagnostics);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }
}
