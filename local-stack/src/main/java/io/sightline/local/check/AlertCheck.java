package io.sightline.local.check;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.sightline.local.alerts.AlertWebhookReceiver;
import io.sightline.local.alerts.AlertWebhookReceiver.ReceivedAlert;

/**
 * The alerting path end to end: an alert rule fired because of the failure burst and Alertmanager delivered it to
 * the launcher's webhook. Alerts that were already active before the burst (e.g. during start-up) do not count.
 */
public final class AlertCheck {

    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final AlertWebhookReceiver receiver;

    public AlertCheck(AlertWebhookReceiver receiver) {
        this.receiver = receiver;
    }

    /** @param tolerance how long before the burst an alert may have become active and still count (one evaluation) */
    public void run(CheckReport report, Instant burstStart, Duration tolerance, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Instant earliest = burstStart.minus(tolerance);
        while (true) {
            List<String> fired = receiver.received().stream()
                    .filter(a -> "firing".equals(a.status()) && a.startsAt() != null && !a.startsAt().isBefore(earliest))
                    .map(ReceivedAlert::name).distinct().sorted().toList();
            if (!fired.isEmpty()) {
                report.passed("alerts", "fired after the failure burst and delivered by Alertmanager to the webhook: "
                        + String.join(", ", fired));
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                List<String> before = receiver.received().stream().map(a -> a.name() + "(" + a.status() + ")").distinct().toList();
                report.failed("alerts", "no alert fired after the failure burst reached the webhook within "
                        + Duration.between(burstStart, Instant.now()).toSeconds() + " s of the burst"
                        + (before.isEmpty() ? " (no notification at all; is Alertmanager running, do the rules load?)"
                                : "; notifications received: " + before));
                return;
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        }
    }
}
