package io.sightline.collector.leader;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.sightline.collector.config.CollectorProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io} Lease with fabric8's {@code LeaderElector}: of all replicas
 * only the lease holder emits. When leader election is switched off the one instance leads from the start.
 */
public final class Leadership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    private final KubernetesClient client;
    private final CollectorProperties.LeaderElection config;
    private final String namespace;
    private final String identity;
    private final ScheduledExecutorService callbacks;
    private LeadershipListener listener;
    private CompletableFuture<?> election;
    private boolean closed;

    public Leadership(
            KubernetesClient client,
            CollectorProperties.LeaderElection config,
            String namespace,
            String identity,
            ScheduledExecutorService callbacks) {
        this.client = client;
        this.config = config;
        this.namespace = namespace;
        this.identity = identity;
        // the listener does blocking API calls; fabric8 may call back on a client I/O thread
        this.callbacks = callbacks;
    }

    /** Competes for the Lease, telling {@code listener} when this instance starts and stops leading. */
    public synchronized void start(LeadershipListener listener) {
        this.listener = listener;
        compete();
    }

    private synchronized void compete() {
        if (closed) {
            return;
        }
        if (!config.enabled()) {
            log.info("Leader election is off: this instance emits (run a single replica)");
            listener.startLeading();
            return;
        }
        log.info("Competing for Lease {}/{} as {}", namespace, config.leaseName(), identity);
        election = client.leaderElector()
                .withConfig(new LeaderElectionConfigBuilder()
                        .withName(config.leaseName())
                        .withLock(new LeaseLock(namespace, config.leaseName(), identity))
                        .withLeaseDuration(config.leaseDuration())
                        .withRenewDeadline(config.renewDeadline())
                        .withRetryPeriod(config.retryPeriod())
                        .withReleaseOnCancel(true)
                        .withLeaderCallbacks(new LeaderCallbacks(
                                () -> {
                                    log.info("{} leads: emitting events", identity);
                                    notify(listener::startLeading);
                                },
                                () -> {
                                    log.info("{} stopped leading: no longer emitting", identity);
                                    notify(listener::stopLeading);
                                },
                                leader -> log.info("Lease {}/{} is held by {}", namespace, config.leaseName(), leader)))
                        .build())
                .build()
                .start();
        // fabric8's elector ends when leadership is lost (e.g. the API was unreachable past the renew deadline);
        // without competing again this replica would stay a follower for good, and with it possibly both
        election.whenComplete((ignored, failure) -> competeAgainLater(failure));
    }

    private synchronized void competeAgainLater(Throwable failure) {
        if (closed) {
            return;
        }
        if (failure != null) {
            log.warn(
                    "Leader election for Lease {}/{} ended with {}; competing again",
                    namespace,
                    config.leaseName(),
                    failure.toString());
        }
        try {
            callbacks.schedule(this::compete, config.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Not competing again: the collector stopped", e);
        }
    }

    private void notify(Runnable change) {
        try {
            callbacks.execute(change);
        } catch (RejectedExecutionException e) {
            log.debug("Leadership change after the collector stopped; nothing left to tell", e);
        }
    }

    /** Gives up the lease (released, so a follower takes over at once rather than after the lease duration). */
    @Override
    public synchronized void close() {
        closed = true;
        if (election != null) {
            election.cancel(true);
            election = null;
        } else if (!config.enabled() && listener != null) {
            listener.stopLeading();
        }
    }
}
