package io.sightline.collector.leader;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.sightline.collector.config.CollectorProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io} Lease with fabric8's {@code LeaderElector}: of all replicas
 * only the lease holder emits. When leader election is switched off the one instance leads from the start.
 * <p>
 * The listener is called on the elector's thread and must not block. {@link #holdsLease()} is true only while
 * this replica renewed within the renew deadline, measured here: a renewal stuck in a throttled API call ends
 * emission at the deadline, before any other replica can take the Lease (the lease duration is longer; the
 * difference is the clock skew between nodes that is tolerated, see docs/event-collector.md).
 */
public final class Leadership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    private final KubernetesClient client;
    private final CollectorProperties.LeaderElection config;
    private final String namespace;
    private final String identity;
    private LeadershipListener listener;
    private FencedLeaseLock lock;
    private CompletableFuture<?> election;
    private boolean closed;
    private volatile boolean leading;

    /** @param client a client whose requests time out within the renew deadline and are not retried */
    public Leadership(
            KubernetesClient client, CollectorProperties.LeaderElection config, String namespace, String identity) {
        this.client = client;
        this.config = config;
        this.namespace = namespace;
        this.identity = identity;
    }

    /** Competes for the Lease, telling {@code listener} when this instance starts and stops leading. */
    public synchronized void start(LeadershipListener listener) {
        this.listener = listener;
        compete();
    }

    /**
     * True while this replica may emit: it leads and renewed the Lease within the renew deadline. When the deadline
     * passed, this replica gives the Lease up and competes again, so that it emits again only after a fresh
     * takeover (another replica may have led meanwhile).
     */
    public boolean holdsLease() {
        if (!leading) {
            return false;
        }
        FencedLeaseLock current = lock;
        if (!config.enabled() || (current != null && current.renewedWithin(config.renewDeadline()))) {
            return true;
        }
        leading = false;
        CompletableFuture.runAsync(this::resign);
        return false;
    }

    /** Ends the current election (releasing the Lease if it is still this replica's); competes again later. */
    private synchronized void resign() {
        if (election != null) {
            log.warn(
                    "{} did not renew Lease {}/{} within the renew deadline: giving it up and competing again",
                    identity,
                    namespace,
                    config.leaseName());
            election.cancel(true);
            election = null;
        }
    }

    /**
     * Asks the API whether this replica holds the Lease: the fence before overwriting a checkpoint that another
     * replica wrote. False when it cannot be confirmed.
     */
    public boolean confirmedByTheLease() {
        if (!config.enabled()) {
            return leading;
        }
        try {
            Lease lease = client.leases()
                    .inNamespace(namespace)
                    .withName(config.leaseName())
                    .get();
            return holdsLease()
                    && lease != null
                    && lease.getSpec() != null
                    && identity.equals(lease.getSpec().getHolderIdentity());
        } catch (KubernetesClientException e) {
            log.debug("Cannot confirm the Lease holder", e);
            return false;
        }
    }

    /** This replica's name in the Lease. */
    public String identity() {
        return identity;
    }

    private synchronized void compete() {
        if (closed) {
            return;
        }
        if (!config.enabled()) {
            log.info("Leader election is off: this instance emits (run a single replica)");
            leading = true;
            listener.startLeading();
            return;
        }
        log.info("Competing for Lease {}/{} as {}", namespace, config.leaseName(), identity);
        lock = new FencedLeaseLock(namespace, config.leaseName(), identity);
        election = client.leaderElector()
                .withConfig(new LeaderElectionConfigBuilder()
                        .withName(config.leaseName())
                        .withLock(lock)
                        .withLeaseDuration(config.leaseDuration())
                        .withRenewDeadline(config.renewDeadline())
                        .withRetryPeriod(config.retryPeriod())
                        .withReleaseOnCancel(true)
                        .withLeaderCallbacks(new LeaderCallbacks(
                                () -> {
                                    log.info("{} leads: emitting events", identity);
                                    leading = true;
                                    listener.startLeading();
                                },
                                () -> {
                                    log.info("{} stopped leading: no longer emitting", identity);
                                    leading = false;
                                    listener.stopLeading();
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
        CompletableFuture.delayedExecutor(config.retryPeriod().toMillis(), TimeUnit.MILLISECONDS)
                .execute(this::compete);
    }

    /** Gives up the lease (released, so a follower takes over at once rather than after the lease duration). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (election != null) {
            election.cancel(true);
            election = null;
        } else if (leading && listener != null) {
            leading = false;
            listener.stopLeading();
        }
        leading = false;
    }
}
