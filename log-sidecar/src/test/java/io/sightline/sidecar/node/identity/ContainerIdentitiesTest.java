package io.sightline.sidecar.node.identity;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.sightline.sidecar.node.identity.ContainerIdentities.Resolution;
import io.sightline.sidecar.node.identity.ContainerIdentities.SkipReason;
import io.sightline.sidecar.node.meta.PodMetadata;
import io.sightline.sidecar.node.meta.PodMetadataCache;
import io.sightline.sidecar.node.meta.PodMetadataSource;
import io.sightline.sidecar.node.path.OwnPod;
import io.sightline.sidecar.node.path.PodLogPath;
import io.sightline.sidecar.node.path.PodLogPaths;
import io.sightline.sidecar.parse.Identity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerIdentitiesTest {

    private static final String UID = "0f4b2c3a-1d2e-4f5a-9b8c-7d6e5f4a3b2c";
    private static final OwnPod AGENT = new OwnPod("sightline-node", "agent-x1");

    private final PodMetadataCache cache = new PodMetadataCache(10, Duration.ofMinutes(5), System::nanoTime);
    private final ContainerIdentities identities = new ContainerIdentities("node-1", AGENT, source(cache));

    @Test
    void withoutMetadataTheIdentityComesFromThePathAndTheServiceIsTheContainer() {
        Resolution resolution = identities.resolve(path("shop_checkout-1_" + UID + "/app/2.log"));

        assertThat(resolution.shipped()).isTrue();
        assertThat(resolution.identity())
                .isEqualTo(new ContainerIdentity("shop", "checkout-1", UID, "app", 2, "node-1", "app", false));
        assertThat(resolution.identity().identity("prod"))
                .isEqualTo(new Identity("shop", "checkout-1", "node-1", "app", "prod"));
    }

    @Test
    void podLabelsNameTheService() {
        cache.upsert(PodMetadata.of("shop", "checkout-1", UID, Map.of("app.kubernetes.io/name", "checkout"), Map.of()));

        assertThat(identities
                        .resolve(path("shop_checkout-1_" + UID + "/app/0.log"))
                        .identity())
                .satisfies(id -> {
                    assertThat(id.serviceName()).isEqualTo("checkout");
                    assertThat(id.enriched()).isTrue();
                });
    }

    @Test
    void excludedPodsAndContainersAndTheAgentItselfAreSkipped() {
        cache.upsert(PodMetadata.of("shop", "checkout-1", UID, Map.of(), Map.of("sightline.io/logs.app", "exclude")));

        assertThat(identities
                        .resolve(path("shop_checkout-1_" + UID + "/app/0.log"))
                        .skipReason())
                .isEqualTo(SkipReason.EXCLUDED_BY_ANNOTATION);
        assertThat(identities
                        .resolve(path("shop_checkout-1_" + UID + "/log-sidecar/0.log"))
                        .shipped())
                .isTrue();
        assertThat(identities
                        .resolve(path("sightline-node_agent-x1_" + UID + "/agent/0.log"))
                        .skipReason())
                .isEqualTo(SkipReason.OWN_POD);
    }

    private static PodLogPath path(String relative) {
        return new PodLogPaths(Path.of("/var/log/pods"))
                .parse(Path.of("/var/log/pods/" + relative))
                .orElseThrow();
    }

    private static PodMetadataSource source(PodMetadataCache cache) {
        return new PodMetadataSource() {
            @Override
            public Optional<PodMetadata> find(String logUid) {
                return cache.find(logUid);
            }

            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public void close() {}
        };
    }
}
