package io.sightline.sidecar.node.meta.kube;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.node.meta.PodMetadata;
import io.sightline.sidecar.node.meta.PodMetadataCache;
import io.sightline.sidecar.node.meta.PodMetadataSource;

/**
 * A fabric8 informer on the pods of one node (field selector {@code spec.nodeName=<node>}, so the API
 * server sends only the tens of pods of this node, never the cluster's thousands) that keeps the
 * {@link PodMetadataCache} current. The informer's own store holds only the metadata the cache is
 * built from. Starting never blocks or fails: while the API server cannot be reached the informer
 * retries (each failure reported on the diagnostics) and lookups answer from what is cached, so lines
 * keep flowing with the path-only identity. Owns its client: closing the watch closes it.
 */
final class PodWatch implements PodMetadataSource {

    private static final String[] KEPT_FIELDS = {
        "metadata.uid", "metadata.labels", "metadata.annotations",
    };

    private final KubernetesClient client;
    private final SharedIndexInformer<Pod> informer;
    private final PodMetadataCache cache;

    private PodWatch(KubernetesClient client, SharedIndexInformer<Pod> informer, PodMetadataCache cache) {
        this.client = client;
        this.informer = informer;
        this.cache = cache;
    }

    static PodWatch start(KubernetesClient client, String nodeName, PodMetadataCache cache, Diagnostics diagnostics) {
        SharedIndexInformer<Pod> informer = client.pods()
                .inAnyNamespace()
                .withField("spec.nodeName", nodeName)
                .runnableInformer(0);
        informer.itemStore(new ReducedStateItemStore<>(
                ReducedStateItemStore.NAME_KEY_STATE, Pod.class, client.getKubernetesSerialization(), KEPT_FIELDS));
        informer.addEventHandler(new ResourceEventHandler<Pod>() {
            @Override
            public void onAdd(Pod pod) {
                metadata(pod).ifPresent(cache::upsert);
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                metadata(pod).ifPresent(cache::upsert);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                metadata(pod).ifPresent(p -> cache.deleted(p.logUid()));
            }
        });
        informer.exceptionHandler((started, failure) -> {
            diagnostics.warn(
                    "listing/watching this node's pods failed; retrying, lines are shipped with the identity"
                            + " from their path until it works (check the agent's RBAC: get/list/watch on pods)",
                    "node",
                    nodeName,
                    "error",
                    failure);
            return true;
        });
        informer.start();
        return new PodWatch(client, informer, cache);
    }

    @Override
    public Optional<PodMetadata> find(String logUid) {
        return cache.find(logUid);
    }

    @Override
    public boolean ready() {
        return informer.hasSynced() && informer.isWatching();
    }

    @Override
    public void close() {
        try {
            informer.close();
        } finally {
            client.close();
        }
    }

    static Optional<PodMetadata> metadata(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        if (meta == null || meta.getUid() == null) {
            return Optional.empty();
        }
        return Optional.of(PodMetadata.of(
                meta.getNamespace(), meta.getName(), meta.getUid(), meta.getLabels(), meta.getAnnotations()));
    }
}
