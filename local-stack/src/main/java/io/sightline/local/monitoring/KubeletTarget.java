package io.sightline.local.monitoring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A kubelet endpoint of the local stack, described as Prometheus' node discovery would find the node, so the
 * cluster's own kubelet jobs scrape it with their relabeling unchanged (see {@link ClusterKubeletJobs}).
 *
 * @param node the node's name ({@code __meta_kubernetes_node_name}: the jobs make it the {@code node} label)
 * @param address {@code host:port} of the kubelet's endpoints
 */
public record KubeletTarget(String node, String address) {

    public KubeletTarget {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(address, "address");
    }

    /** One file_sd target group, with the labels the node role gives. */
    public Map<String, Object> targetGroup() {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("targets", List.of(address));
        group.put("labels", Map.of("__meta_kubernetes_node_name", node));
        return group;
    }
}
