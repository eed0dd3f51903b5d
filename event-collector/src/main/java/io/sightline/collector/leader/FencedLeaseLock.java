package io.sightline.collector.leader;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;

/**
 * The Lease as fabric8's elector sees it, with two differences from fabric8's own lock: a change is an
 * {@code update} of the version read (so RBAC needs no {@code patch}, and a Lease shipped as a manifest without a
 * holder is simply acquired), and it remembers when this replica last renewed successfully, by the monotonic
 * clock, taken before the renewal was sent. {@link #renewedWithin} is what lets the collector stop emitting at the
 * renew deadline even while the elector itself is stuck in a slow API call.
 */
final class FencedLeaseLock implements Lock {

    private static final ZonedDateTime NEVER = Instant.EPOCH.atZone(ZoneOffset.UTC);

    private final String namespace;
    private final String name;
    private final String identity;
    private Lease lease;
    private long attemptStartNanos;
    private volatile long renewedAtNanos;
    private volatile boolean renewed;

    FencedLeaseLock(String namespace, String name, String identity) {
        this.namespace = namespace;
        this.name = name;
        this.identity = identity;
    }

    @Override
    public synchronized LeaderElectionRecord get(KubernetesClient client) {
        attemptStartNanos = System.nanoTime();
        lease = client.leases().inNamespace(namespace).withName(name).get();
        return lease == null ? null : toRecord(lease);
    }

    @Override
    public synchronized void create(KubernetesClient client, LeaderElectionRecord record) {
        Lease created = new LeaseBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .build();
        applyTo(created, record);
        lease = client.resource(created).create();
        remember(record);
    }

    @Override
    public synchronized void update(KubernetesClient client, LeaderElectionRecord record) {
        Objects.requireNonNull(lease, "get or create must be called first");
        Lease changed = new LeaseBuilder(lease).build(); // keeps labels and the version read: a conflict fails
        applyTo(changed, record);
        lease = client.resource(changed).update();
        remember(record);
    }

    /** True when this replica renewed the Lease successfully less than {@code deadline} ago. */
    boolean renewedWithin(Duration deadline) {
        return renewed && System.nanoTime() - renewedAtNanos < deadline.toNanos();
    }

    private void remember(LeaderElectionRecord record) {
        if (identity.equals(record.getHolderIdentity())) {
            renewedAtNanos = attemptStartNanos;
            renewed = true;
        } else {
            renewed = false; // released
        }
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public String describe() {
        return "Lease " + namespace + "/" + name + " (" + identity + ")";
    }

    private static void applyTo(Lease lease, LeaderElectionRecord record) {
        lease.setSpec(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpecBuilder()
                .withHolderIdentity(record.getHolderIdentity())
                .withLeaseDurationSeconds((int) record.getLeaseDuration().toSeconds())
                .withAcquireTime(record.getAcquireTime())
                .withRenewTime(record.getRenewTime())
                .withLeaseTransitions(record.getLeaderTransitions())
                .build());
    }

    /** A Lease shipped without a holder (or released) reads as free. */
    private static LeaderElectionRecord toRecord(Lease lease) {
        var spec = lease.getSpec();
        if (spec == null) {
            return new LeaderElectionRecord(null, Duration.ZERO, NEVER, NEVER, 0);
        }
        return new LeaderElectionRecord(
                spec.getHolderIdentity(),
                Duration.ofSeconds(spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds()),
                time(spec.getAcquireTime()),
                time(spec.getRenewTime()),
                spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions());
    }

    private static ZonedDateTime time(ZonedDateTime time) {
        return time == null ? NEVER : time;
    }
}
