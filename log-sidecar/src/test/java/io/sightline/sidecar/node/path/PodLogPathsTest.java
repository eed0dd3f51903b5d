package io.sightline.sidecar.node.path;

import java.nio.file.Path;
import java.util.Optional;

import io.sightline.sidecar.parse.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PodLogPathsTest {

    private static final String UID = "0f4b2c3a-1d2e-4f5a-9b8c-7d6e5f4a3b2c";
    private static final String DIR = "/var/log/pods/shop_checkout-7d9f8b6c5-x2x9z_" + UID;

    private final PodLogPaths paths = new PodLogPaths(Path.of("/var/log/pods"));

    @Test
    void liveFileGivesNamespacePodUidContainerAndRestartCount() {
        Optional<PodLogPath> parsed = paths.parse(Path.of(DIR + "/app/3.log"));

        assertThat(parsed)
                .contains(new PodLogPath("shop", "checkout-7d9f8b6c5-x2x9z", UID, "app", 3, PodLogFileKind.LIVE, null));
        assertThat(parsed.get().liveFileName()).isEqualTo("3.log");
    }

    @Test
    void kubeletRotationsAreRecognisedWithTheirStamp() {
        assertThat(paths.parse(Path.of(DIR + "/app/0.log.20261130-101500")))
                .get()
                .satisfies(p -> {
                    assertThat(p.kind()).isEqualTo(PodLogFileKind.ROTATED);
                    assertThat(p.rotationStamp()).isEqualTo("20261130-101500");
                    assertThat(p.liveFileName()).isEqualTo("0.log");
                    assertThat(p.kind().readable()).isTrue();
                });
        assertThat(paths.parse(Path.of(DIR + "/app/0.log.20261130-101500.gz")))
                .get()
                .satisfies(p -> {
                    assertThat(p.kind()).isEqualTo(PodLogFileKind.COMPRESSED);
                    assertThat(p.rotationStamp()).isEqualTo("20261130-101500");
                    assertThat(p.kind().readable()).isTrue();
                });
    }

    @Test
    void kubeletTemporaryCompressionIsRecognisedAndNeverReadable() {
        assertThat(paths.parse(Path.of(DIR + "/app/12.log.20261130-101500.tmp")))
                .get()
                .satisfies(p -> {
                    assertThat(p.kind()).isEqualTo(PodLogFileKind.TEMPORARY);
                    assertThat(p.restartCount()).isEqualTo(12);
                    assertThat(p.kind().readable()).isFalse();
                });
    }

    @Test
    void staticPodUidIsTheKubeletsHash() {
        assertThat(paths.parse(
                        Path.of("/var/log/pods/kube-system_etcd-node-1_4c2f6a1e9b7d3c5a8e0f1b2d4c6a8e0f/etcd/0.log")))
                .get()
                .extracting(PodLogPath::podUid)
                .isEqualTo("4c2f6a1e9b7d3c5a8e0f1b2d4c6a8e0f");
    }

    @Test
    void podNamesMayHoldDotsAndRelativeInputIsResolved() {
        PodLogPaths relativeRoot = new PodLogPaths(Path.of("pods"));
        Path file = Path.of("pods", "default_web.v2-0_" + UID, "nginx", "0.log");

        assertThat(relativeRoot.parse(file)).get().extracting(PodLogPath::pod).isEqualTo("web.v2-0");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // not under the root, or not exactly three levels below it
                "/var/log/containers/app.log",
                "/var/log/pods/0.log",
                "/var/log/pods/shop_checkout_" + UID + "/0.log",
                "/var/log/pods/shop_checkout_" + UID + "/app/sub/0.log",
                "/var/log/pods/shop_checkout_" + UID + "/app/../app/0.log",
                "/var/log/pods/../pods/shop_checkout_" + UID + "/app/0.log",
                // the directory name: three parts, valid names, a uid
                "/var/log/pods/shop_checkout/app/0.log",
                "/var/log/pods/shop_check_out_" + UID + "/app/0.log",
                "/var/log/pods/Shop_checkout_" + UID + "/app/0.log",
                "/var/log/pods/shop-_checkout_" + UID + "/app/0.log",
                "/var/log/pods/shop_checkout._" + UID + "/app/0.log",
                "/var/log/pods/shop_check..out_" + UID + "/app/0.log",
                "/var/log/pods/_checkout_" + UID + "/app/0.log",
                "/var/log/pods/shop_checkout_not-a-uid/app/0.log",
                "/var/log/pods/shop_checkout_0f4b2c3a-1d2e-4f5a-9b8c-7d6e5f4a3b2/app/0.log",
                "/var/log/pods/shop_checkout_0f4b2c3a1d2e-4f5a-9b8c-7d6e5f4a3b2cc/app/0.log",
                "/var/log/pods/shop_checkout_4c2f6a1e9b7d3c5a8e0f1b2d4c6a8e0g/app/0.log",
                // the container name
                "/var/log/pods/shop_checkout_" + UID + "/App/0.log",
                "/var/log/pods/shop_checkout_" + UID + "/app.v2/0.log",
                // the file name
                "/var/log/pods/shop_checkout_" + UID + "/app/app.log",
                "/var/log/pods/shop_checkout_" + UID + "/app/.log",
                "/var/log/pods/shop_checkout_" + UID + "/app/01.log",
                "/var/log/pods/shop_checkout_" + UID + "/app/-1.log",
                "/var/log/pods/shop_checkout_" + UID + "/app/1234567890.log",
                "/var/log/pods/shop_checkout_" + UID + "/app/0.log.1",
                "/var/log/pods/shop_checkout_" + UID + "/app/0.log.gz",
                "/var/log/pods/shop_checkout_" + UID + "/app/0.log.tmp",
                "/var/log/pods/shop_checkout_" + UID + "/app/0.log.20261130-10150",
                "/var/log/pods/shop_checkout_" + UID + "/app/0.log.20261130_101500",
                "/var/log/pods/shop_checkout_" + UID + "/app/0.log.20261130-101500.gz.tmp",
                "/var/log/pods/shop_checkout_" + UID + "/app/0.log.20261130-101500.zst",
                "/var/log/pods/shop_checkout_" + UID + "/app/0.logx",
            })
    void anythingElseIsRejected(String path) {
        assertThat(paths.parse(Path.of(path))).isEmpty();
    }

    @Test
    void namesAtTheKubernetesLengthLimitsPassAndOneMoreFails() {
        String label63 = "a".repeat(63);
        String subdomain253 = ("b".repeat(63) + ".").repeat(3) + "c".repeat(61);

        assertThat(subdomain253).hasSize(253);
        assertThat(paths.parse(Path.of(
                        "/var/log/pods/" + label63 + "_" + subdomain253 + "_" + UID + "/" + label63 + "/0.log")))
                .isPresent();
        assertThat(paths.parse(Path.of("/var/log/pods/" + label63 + "a_pod_" + UID + "/app/0.log")))
                .isEmpty();
        assertThat(paths.parse(Path.of("/var/log/pods/ns_" + subdomain253 + "c_" + UID + "/app/0.log")))
                .isEmpty();
        assertThat(paths.parse(Path.of("/var/log/pods/ns_pod_" + UID + "/" + label63 + "a/0.log")))
                .isEmpty();
    }

    @Test
    void theAgentsOwnPodIsRecognisedByNamespaceAndName() {
        OwnPod own = OwnPod.of(new Identity("sightline-node", "log-agent-abcde", "node-1", "agent", null));

        assertThat(own.isOwn(
                        paths.parse(Path.of("/var/log/pods/sightline-node_log-agent-abcde_" + UID + "/agent/0.log"))
                                .orElseThrow()))
                .isTrue();
        assertThat(own.isOwn(
                        paths.parse(Path.of("/var/log/pods/sightline-node_log-agent-fghij_" + UID + "/agent/0.log"))
                                .orElseThrow()))
                .isFalse();
        assertThat(own.isOwn(paths.parse(Path.of("/var/log/pods/other_log-agent-abcde_" + UID + "/agent/0.log"))
                        .orElseThrow()))
                .isFalse();
    }

    @Test
    void withoutItsOwnNamesTheAgentExcludesNothing() {
        OwnPod unknown = OwnPod.of(new Identity(null, null, null, null, null));

        assertThat(unknown.isOwn(paths.parse(Path.of(DIR + "/app/0.log")).orElseThrow()))
                .isFalse();
    }
}
