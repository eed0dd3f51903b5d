package io.sightline.sidecar.parse;

/**
 * Where the sidecar runs, from the Downward API environment (contract section 1):
 * {@code POD_NAMESPACE}, {@code POD_NAME}, {@code NODE_NAME}, {@code CONTAINER_NAME},
 * {@code CLUSTER_NAME}. Unknown values are {@code null}; {@code cluster} is optional.
 */
public record Identity(String namespace, String pod, String node, String container, String cluster) {}
