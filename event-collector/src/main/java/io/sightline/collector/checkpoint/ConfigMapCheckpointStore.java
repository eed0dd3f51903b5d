package io.sightline.collector.checkpoint;

import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.sightline.collector.occurrence.Emitted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the checkpoint in a ConfigMap the collector owns (in its own namespace), as gzip in {@code binaryData}.
 * A ConfigMap holds at most 1 MiB; when the checkpoint would not fit, the oldest entries are left out (a restart
 * may then repeat those few events) and a warning says to lower the event TTL or narrow the namespaces.
 */
public final class ConfigMapCheckpointStore {

    static final String KEY = "checkpoint.gz";
    /** ConfigMaps are limited to 1 MiB in total; base64 adds a third, leave room for metadata. */
    static final int MAX_ENCODED_BYTES = 900 * 1024;

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
    public Optional<Checkpoint> load() {
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
            return Optional.of(CheckpointCodec.decode(
                    Base64.getDecoder().decode(map.getBinaryData().get(KEY))));
        } catch (IllegalArgumentException e) {
            log.warn(
                    "Ignoring unreadable checkpoint in ConfigMap {}/{} ({}); every event currently stored counts as new."
                            + " It is overwritten by the next checkpoint.",
                    namespace,
                    name,
                    e.getMessage());
            return Optional.empty();
        }
    }

    public void save(Checkpoint checkpoint) {
        byte[] encoded = CheckpointCodec.encode(checkpoint);
        if (encoded.length > MAX_ENCODED_BYTES * 3 / 4) {
            encoded = CheckpointCodec.encode(newestThatFit(checkpoint, encoded.length));
        }
        ConfigMap map = new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "sightline-event-collector")
                .endMetadata()
                .addToBinaryData(KEY, Base64.getEncoder().encodeToString(encoded))
                .build();
        client.configMaps().inNamespace(namespace).resource(map).createOr(NonDeletingOperation::update);
    }

    private Checkpoint newestThatFit(Checkpoint checkpoint, int encodedLength) {
        int keep = (int) ((long) checkpoint.emitted().size() * (MAX_ENCODED_BYTES * 3 / 4) / encodedLength * 9 / 10);
        log.warn(
                "Checkpoint of {} events exceeds what a ConfigMap holds; keeping the newest {}. A restart may repeat "
                        + "the others: lower sightline.collector.event-ttl or narrow the watched namespaces.",
                checkpoint.emitted().size(),
                keep);
        Map<String, Emitted> newest = new LinkedHashMap<>();
        checkpoint.emitted().entrySet().stream()
                .sorted(Comparator.comparingLong(
                                (Map.Entry<String, Emitted> e) -> e.getValue().occurredAtMillis())
                        .reversed())
                .limit(keep)
                .forEach(e -> newest.put(e.getKey(), e.getValue()));
        return new Checkpoint(checkpoint.savedAt(), newest);
    }
}
