package io.sightline.local.parts;

import java.net.URI;
import java.util.List;

import io.sightline.local.LaunchOptions;
import io.sightline.local.check.CheckReport;
import io.sightline.local.parts.DemoServices.Instance;
import io.sightline.local.traffic.TrafficGenerator;
import io.sightline.local.traffic.TrafficStats;

/**
 * The links API traffic to the demo services once they answer, with the failure burst: for a while half of the
 * requests go to the canary, which fails half of them, and Prometheus is told to expect an alert because of it.
 * Nothing with {@code --rate 0}.
 */
public final class Traffic implements StackPart {

    private static final TrafficStats NONE = new TrafficStats(0, 0, 0, 0, 0, 0);

    private final StackContext context;
    private final DemoServices services;
    private final Monitoring monitoring;
    private volatile TrafficGenerator generator;

    public Traffic(StackContext context, DemoServices services, Monitoring monitoring) {
        this.context = context;
        this.services = services;
        this.monitoring = monitoring;
    }

    @Override
    public void start() {
        LaunchOptions options = context.options();
        if (options.requestsPerSecond() <= 0) {
            return;
        }
        services.awaitReady();
        List<URI> regular = services.instances().stream()
                .filter(i -> !i.isCanary())
                .map(Instance::baseUrl)
                .toList();
        URI canary = services.instances().stream()
                .filter(Instance::isCanary)
                .map(Instance::baseUrl)
                .findFirst()
                .orElse(null);
        generator = new TrafficGenerator(
                context.http().client(),
                regular,
                canary,
                options.requestsPerSecond(),
                new TrafficGenerator.FailureBurst(options.burstAfter(), options.burstLength()));
        generator.start();
        if (options.hasBurst()) {
            monitoring.expectBurstAlert(generator.burstStartsAt());
        }
    }

    /** Totals so far (all zero without traffic). */
    public TrafficStats stats() {
        TrafficGenerator current = generator;
        return current == null ? NONE : current.stats();
    }

    public boolean inBurst() {
        TrafficGenerator current = generator;
        return current != null && current.inBurst();
    }

    @Override
    public List<Url> urls() {
        if (generator == null) {
            return List.of();
        }
        LaunchOptions options = context.options();
        return List.of(new Url(
                "traffic",
                options.requestsPerSecond() + " req/s"
                        + (options.hasBurst()
                                ? "; failure burst after "
                                        + options.burstAfter().toSeconds() + " s for "
                                        + options.burstLength().toSeconds() + " s (" + Topology.CANARY_POD + " fails "
                                        + (int) (100 * DemoServices.CANARY_FAILURE_RATIO)
                                        + "% of requests and takes half of the traffic)"
                                : "")));
    }

    /** "traffic": requests succeeded, and the canary's burst requests failed. */
    @Override
    public void check(CheckReport report) {
        if (generator == null) {
            report.failed("traffic", "not checked: --rate 0");
            return;
        }
        TrafficStats stats = generator.stats();
        boolean burstFailed = !context.options().hasBurst() || stats.burstFailed() > 0;
        if (stats.sent() - stats.failed() > 0 && burstFailed) {
            report.passed(
                    "traffic",
                    String.format(
                            "%d requests, %d failed (%d of %d during the burst), %d slow, %d skipped",
                            stats.sent(),
                            stats.failed(),
                            stats.burstFailed(),
                            stats.burstSent(),
                            stats.slow(),
                            stats.skipped()));
        } else {
            report.failed(
                    "traffic",
                    String.format(
                            "%d requests, %d failed, %d of %d burst requests failed: the services "
                                    + "did not answer as expected",
                            stats.sent(), stats.failed(), stats.burstFailed(), stats.burstSent()));
        }
    }

    /** Stops sending and waits (bounded) for the requests in flight, so the services write their log lines. */
    @Override
    public void close() {
        if (generator != null) {
            generator.close();
        }
    }
}
