package io.sightline.collector.occurrence;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sightline.collector.MockCluster;
import io.sightline.collector.watch.KubeEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static io.sightline.collector.occurrence.TestEvents.T0;
import static io.sightline.collector.occurrence.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/** Case 5: a checkpoint at its size limit stays correct, and says so once per change. */
class OccurrencesTest {

    private static final Duration SKEW = Duration.ofSeconds(5);
    private static final NamespaceListener IGNORED = new NamespaceListener() {
        @Override
        public void namespaceAppeared(String namespace) {}

        @Override
        public void namespaceGone(String namespace) {}
    };

    private final Logger logger = (Logger) LoggerFactory.getLogger(Occurrences.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @AfterEach
    void detach() {
        logger.detachAppender(logged);
    }

    @Test
    void entriesLeftOutForSizeAreNotEmittedAgainByAReplicaThatSawThemBefore() {
        Occurrences leader = occurrences(4_000);
        Occurrences follower = occurrences(4_000);
        List<KubeEvent> events = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            KubeEvent e = event("uid-" + i + "-" + Integer.toHexString(i * 7919), 1, T0);
            events.add(e);
            // both replicas see the events over 1,000 seconds
            Instant seen = T0.plusSeconds(i);
            follower.observe(e, seen, false);
            leader.observe(e, seen, true).ifPresent(o -> leader.written(o.event()));
        }
        Occurrences.StoredCheckpoint stored = leader.checkpoint(T0.plusSeconds(1_000));
        assertThat(stored.bytes().length).isLessThanOrEqualTo(4_000);
        assertThat(stored.checkpoint().uids()).hasSizeLessThan(1_000);

        Occurrences.Takeover takeover =
                follower.takeOver(Optional.of(Occurrences.decode(stored.bytes())), events, T0.plusSeconds(1_001));

        // at most those in the skew margin below the horizon are repeated, never all that were left out
        int leftOut = 1_000 - stored.checkpoint().uids().size();
        assertThat(takeover.occurrences()).hasSizeLessThanOrEqualTo((int) SKEW.toSeconds() + 1);
        assertThat(leftOut).isGreaterThan(takeover.occurrences().size());
    }

    @Test
    void theSizeWarningIsLoggedWhenTheCheckpointStartsAndStopsNotFittingNotOnEverySave() {
        logged.start();
        logger.addAppender(logged);
        Occurrences leader = occurrences(4_000);
        List<KubeEvent> events = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            KubeEvent e = event("uid-" + i + "-" + Integer.toHexString(i * 7919), 1, T0);
            events.add(e);
            leader.observe(e, T0.plusSeconds(i), true).ifPresent(o -> leader.written(o.event()));
        }
        for (int save = 0; save < 3; save++) {
            leader.checkpoint(T0.plusSeconds(1_000 + save));
        }
        events.subList(0, 990).forEach(leader::gone);
        leader.checkpoint(T0.plusSeconds(1_010));
        leader.checkpoint(T0.plusSeconds(1_011));

        assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
    }

    private static Occurrences occurrences(int maxBytes) {
        var properties = MockCluster.properties(Path.of("x.log"), "v1", true, Duration.ofSeconds(5), 10);
        return new Occurrences(properties, SKEW, maxBytes, IGNORED);
    }
}
