package io.sightline.sidecar.node.meta;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PodMetadataTest {

    private static final String UID = "0f4b2c3a-1d2e-4f5a-9b8c-7d6e5f4a3b2c";

    @Test
    void serviceNameIsTheKubernetesNameLabelThenAppThenTheContainer() {
        PodMetadata both = pod(Map.of("app.kubernetes.io/name", "checkout", "app", "legacy"), Map.of());
        PodMetadata appOnly = pod(Map.of("app", "legacy"), Map.of());
        PodMetadata none = pod(Map.of("team", "payments"), Map.of());
        PodMetadata blank = pod(Map.of("app.kubernetes.io/name", " ", "app", ""), Map.of());

        assertThat(both.serviceName("app")).isEqualTo("checkout");
        assertThat(appOnly.serviceName("app")).isEqualTo("legacy");
        assertThat(none.serviceName("nginx")).isEqualTo("nginx");
        assertThat(blank.serviceName("nginx")).isEqualTo("nginx");
    }

    @Test
    void podAnnotationExcludesEveryContainer() {
        PodMetadata pod = pod(Map.of(), Map.of("sightline.io/logs", "exclude"));

        assertThat(pod.excludes("app")).isTrue();
        assertThat(pod.excludes("istio-proxy")).isTrue();
    }

    @Test
    void containerAnnotationExcludesThatContainerOnly() {
        PodMetadata pod = pod(Map.of(), Map.of("sightline.io/logs.app", " Exclude "));

        assertThat(pod.excludes("app")).isTrue();
        assertThat(pod.excludes("log-sidecar")).isFalse();
        assertThat(pod.excludedContainers()).containsExactly("app");
    }

    /** The log-sidecar component labels the pod and names the container it ships: the agent leaves that one out. */
    @Test
    void aPodWithALogSidecarIsNotShippedTwice() {
        PodMetadata withSidecar =
                pod(Map.of("sightline.io/log-sidecar", "true"), Map.of("sightline.io/app-container", "orders"));
        PodMetadata annotatedOnly = pod(Map.of(), Map.of("sightline.io/app-container", "orders"));

        assertThat(withSidecar.excludes("orders")).isTrue();
        assertThat(withSidecar.excludes("log-sidecar"))
                .as("the sidecar's own output is still read")
                .isFalse();
        assertThat(annotatedOnly.excludes("orders"))
                .as("without the sidecar label nothing ships it")
                .isFalse();
    }

    @Test
    void otherValuesAndKeysExcludeNothing() {
        PodMetadata pod = pod(
                Map.of("sightline.io/logs", "exclude"), // a label, not an annotation
                Map.of(
                        "sightline.io/logs",
                        "include",
                        "sightline.io/logs.app",
                        "true",
                        "sightline.io/logs.",
                        "exclude",
                        "example.com/logs.app",
                        "exclude"));

        assertThat(pod.excludes("app")).isFalse();
        assertThat(pod.excludedContainers()).isEmpty();
    }

    @Test
    void containerKeysAreValidAnnotationNamesOrAbsent() {
        String longest = "c".repeat(58);

        assertThat(LogAnnotations.containerKey("app")).contains("sightline.io/logs.app");
        assertThat(LogAnnotations.containerKey(longest)).get().satisfies(key -> assertThat(
                        key.substring(key.indexOf('/') + 1))
                .hasSize(63)
                .matches("[a-zA-Z0-9]([-._a-zA-Z0-9]*[a-zA-Z0-9])?"));
        assertThat(LogAnnotations.containerKey(longest + "c")).isEmpty();
    }

    @Test
    void aMirrorPodIsKnownByTheStaticPodsUidOnTheNode() {
        PodMetadata mirror = PodMetadata.of(
                "kube-system",
                "etcd-node-1",
                "a-uid-the-api-server-gave",
                Map.of("component", "etcd"),
                Map.of("kubernetes.io/config.mirror", "4c2f6a1e9b7d3c5a8e0f1b2d4c6a8e0f"));

        assertThat(mirror.logUid()).isEqualTo("4c2f6a1e9b7d3c5a8e0f1b2d4c6a8e0f");
        assertThat(pod(Map.of(), Map.of()).logUid()).isEqualTo(UID);
    }

    @Test
    void missingLabelsAndAnnotationsAreEmpty() {
        PodMetadata pod = PodMetadata.of("shop", "checkout", UID, null, null);

        assertThat(pod.serviceName("app")).isEqualTo("app");
        assertThat(pod.excludes("app")).isFalse();
    }

    private static PodMetadata pod(Map<String, String> labels, Map<String, String> annotations) {
        return PodMetadata.of("shop", "checkout-1", UID, labels, annotations);
    }
}
