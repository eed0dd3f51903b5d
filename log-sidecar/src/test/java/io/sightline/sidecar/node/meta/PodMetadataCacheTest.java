package io.sightline.sidecar.node.meta;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PodMetadataCacheTest {

    private final AtomicLong now = new AtomicLong();
    private final PodMetadataCache cache = new PodMetadataCache(3, Duration.ofMinutes(5), now::get);

    @Test
    void aDeletedPodIsFoundForTheGracePeriodThenForgotten() {
        cache.upsert(pod("a"));
        assertThat(cache.isDeleted("a")).isFalse();
        cache.deleted("a");

        now.addAndGet(Duration.ofMinutes(5).minusNanos(1).toNanos());
        assertThat(cache.find("a")).isPresent();
        assertThat(cache.isDeleted("a")).isTrue();

        now.addAndGet(1);
        assertThat(cache.find("a")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void atTheBoundDeletedPodsGoFirstThenTheOneUpdatedLongestAgo() {
        cache.upsert(pod("a"));
        cache.upsert(pod("b"));
        cache.upsert(pod("c"));
        cache.deleted("b");

        cache.upsert(pod("d"));
        assertThat(cache.find("b")).isEmpty();
        assertThat(cache.find("a")).isPresent();

        cache.upsert(pod("a")); // updated: now the newest
        cache.upsert(pod("e"));
        assertThat(cache.find("c")).isEmpty();
        assertThat(cache.find("a")).isPresent();
        assertThat(cache.find("d")).isPresent();
        assertThat(cache.find("e")).isPresent();
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void aPodAddedAgainAfterItsDeletionIsNotExpiredByThatDeletion() {
        cache.upsert(pod("a"));
        cache.deleted("a");
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        cache.upsert(pod("a")); // a relist found it after all

        now.addAndGet(Duration.ofMinutes(10).toNanos());

        assertThat(cache.find("a")).isPresent();
    }

    @Test
    void deletingAnUnknownPodOrTwiceChangesNothing() {
        cache.upsert(pod("a"));
        cache.deleted("zzz");
        cache.deleted("a");
        now.addAndGet(Duration.ofMinutes(4).toNanos());
        cache.deleted("a"); // a second notice must not extend the grace

        now.addAndGet(Duration.ofMinutes(1).toNanos());

        assertThat(cache.find("a")).isEmpty();
    }

    @Test
    void theBoundHoldsUnderManyPods() {
        PodMetadataCache small = new PodMetadataCache(100, Duration.ofMinutes(5), now::get);
        for (int i = 0; i < 10_000; i++) {
            small.upsert(pod("p" + i));
            if (i % 3 == 0) {
                small.deleted("p" + i);
            }
        }

        assertThat(small.size()).isEqualTo(100);
        assertThat(small.find("p9999")).isPresent();
    }

    private static PodMetadata pod(String uid) {
        return PodMetadata.of("ns", "pod-" + uid, uid, Map.of("app", "svc-" + uid), Map.of());
    }
}
