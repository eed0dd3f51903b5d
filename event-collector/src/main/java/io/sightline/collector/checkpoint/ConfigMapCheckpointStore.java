package io.sightline.collector.checkpoint;

import java.util.Base64;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the checkpoint bytes in a ConfigMap the collector owns (in its own namespace), as {@code binaryData}.
 * What the bytes mean is {@link io.sightline.collector.occurrence.Occurrences}' business.
 */
public final class ConfigMapCheckpointStore {

    static final String KEY = "checkpoint.gz";
    /** ConfigMaps are limited to 1 MiB in total; base64 adds a third, leave room for metadata. */
    public static final int MAX_BYTES = 900 * 1024 * 3 / 4;

    private static final Logger log = LoggerFactory.getLogger(ConfigMapCheckpointStore.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public ConfigMapCheckpointStore(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    /**
     * The stored checkpoint; empty when there is none or it cannot be read (logged). Without one every stored
     * event is emitted again: repeating is preferred to silently skipping (at-least-once).
     */
    public Optional<byte[]> load() {
        ConfigMap map;
        try {
            map = client.configMaps().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            log.warn(
                    "Cannot read the checkpoint ConfigMap {}/{} ({}); every event currently stored counts as new. "
                            + "Check the Role in event-collector/k8s/role.yaml.",
                    namespace,
                    name,
                    e.getMessage());
            return Optional.empty();
        }
        if (map == null || map.getBinaryData() == null || !map.getBinaryData().containsKey(KEY)) {
            log.info("No checkpoint in ConfigMap {}/{}: every event currently stored counts as new", namespace, name);
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(map.getBinaryData().get(KEY)));
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring checkpoint ConfigMap {}/{} that is not base64 ({})", namespace, name, e.getMessage());
            return Optional.empty();
        }
    }

    public void save(byte[] checkpoint) {
        ConfigMap map = new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "sightline-event-collector")
                .endMetadata()
                .addToBinaryData(KEY, Base64.getEncoder().encodeToString(checkpoint))
                .build();
        client.configMaps().inNamespace(namespace).resource(map).createOr(NonDeletingOperation::update);
    }

    /** Where the checkpoint lives, for log messages. */
    public String describe() {
        return namespace + "/" + name;
    }
}
