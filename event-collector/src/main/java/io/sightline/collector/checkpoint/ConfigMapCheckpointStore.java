package io.sightline.collector.checkpoint;

import java.net.HttpURLConnection;
import java.util.Base64;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Keeps the checkpoint bytes in a ConfigMap the collector owns (in its own namespace), as {@code binaryData}.
 * What the bytes mean is {@link io.sightline.collector.occurrence.Occurrences}' business.
 * <p>
 * Writes are fenced: each one updates the version this replica read or wrote last, so a replica that lost its
 * Lease cannot overwrite what the new leader wrote meanwhile (the API server answers {@code 409 Conflict}). The
 * ConfigMap is shipped as a manifest; it is created here only when it is missing and RBAC allows it.
 */
public final class ConfigMapCheckpointStore {

    static final String KEY = "checkpoint.gz";
    static final String WRITER = "sightline.io/checkpoint-writer";
    /** ConfigMaps are limited to 1 MiB in total; base64 adds a third, leave room for metadata. */
    public static final int MAX_BYTES = 900 * 1024 * 3 / 4;

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    /** what this replica read or wrote last: its version fences the next write */
    private ConfigMap current;

    /** @param client a client whose requests time out and are not retried (the collector retries itself) */
    public ConfigMapCheckpointStore(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    /**
     * The stored checkpoint bytes; empty when there are none (no ConfigMap, or one without a checkpoint: a first
     * start). Remembers the version read, which the next {@link #save} must still find.
     *
     * @throws Unavailable when the ConfigMap cannot be read (403, 5xx, timeout): that is not a first start
     */
    public synchronized Optional<byte[]> load() {
        ConfigMap map;
        try {
            map = client.configMaps().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new Unavailable("reading", e);
        }
        current = map;
        if (map == null || map.getBinaryData() == null || !map.getBinaryData().containsKey(KEY)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(map.getBinaryData().get(KEY)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the stored checkpoint is not base64", e);
        }
    }

    /**
     * Replaces the checkpoint, if nobody wrote since this replica last read or wrote it.
     *
     * @throws Conflict    when another replica wrote in between
     * @throws Unavailable when the write failed otherwise (403, 5xx, timeout)
     */
    public synchronized void save(byte[] checkpoint, String writer) {
        // the shipped ConfigMap keeps its labels; only the writer and the checkpoint change
        ConfigMap map = (current == null
                        ? new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(namespace)
                                .endMetadata()
                        : new ConfigMapBuilder(current))
                .editMetadata()
                .addToAnnotations(WRITER, writer)
                .endMetadata()
                .addToBinaryData(KEY, Base64.getEncoder().encodeToString(checkpoint))
                .build();
        try {
            // missing (the manifest was not applied): created where RBAC allows it, else the error says so
            current = current == null
                    ? client.resource(map).create()
                    : client.resource(map).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                throw new Conflict(e);
            }
            throw new Unavailable(
                    current == null
                            ? "creating (apply event-collector/k8s/checkpoint-configmap.yaml; the Role grants no create)"
                            : "writing",
                    e);
        }
    }

    /** Where the checkpoint lives, for log messages. */
    public String describe() {
        return namespace + "/" + name;
    }

    /** The checkpoint ConfigMap could not be read or written; retrying may help. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String doing, KubernetesClientException cause) {
            super(doing + " failed: " + cause.getMessage(), cause);
        }
    }

    /** Another replica wrote the checkpoint since this one last read or wrote it. */
    public static final class Conflict extends RuntimeException {
        Conflict(KubernetesClientException cause) {
            super("the checkpoint was written by another replica meanwhile", cause);
        }
    }
}
