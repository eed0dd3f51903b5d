package io.sightline.local.check;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import io.sightline.local.alerts.AlertWebhookReceiver;
import io.sightline.local.alerts.AlertWebhookReceiver.ReceivedAlert;

/**
 * The alerting path end to end: an alert rule fired because of the failure burst and Alertmanager delivered it to
 * the launcher's webhook. "Because of the burst" means: about the burst's namespace (so not the always-firing
 * Watchdog), started firing after the burst began, and was not already firing then.
 */
public final class AlertCheck {

    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final AlertWebhookReceiver receiver;

    public AlertCheck(AlertWebhookReceiver receiver) {
        this.receiver = receiver;
    }

    public void run(
            CheckReport report, String namespace, Instant burstStart, AlertBaseline baseline, Duration timeout) {
        Set<Map<String, String>> before = baseline.firing();
        if (before == null) {
            report.failed("alerts", baseline.problem());
            return;
        }
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<String> fired = receiver.received().stream()
                    .filter(a -> "firing".equals(a.status())
                            && namespace.equals(a.labels().get("namespace"))
                            && a.startsAt() != null
                            && !a.startsAt().isBefore(burstStart)
                            && !before.contains(Map.copyOf(a.labels())))
                    .map(ReceivedAlert::name)
                    .distinct()
                    .sorted()
                    .toList();
            if (!fired.isEmpty()) {
                report.passed(
                        "alerts",
                        "fired after the failure burst and delivered by Alertmanager to the webhook: "
                                + String.join(", ", fired));
                return;
            }
            if (!Instant.now().isBefore(deadline)) {
                List<String> received = receiver.received().stream()
                        .map(a -> a.name() + "(" + a.status() + ")")
                        .distinct()
                        .toList();
                report.failed(
                        "alerts",
                        "no alert that fired because of the failure burst reached the webhook within "
                                + Duration.between(burstStart, Instant.now()).toSeconds() + " s of the burst"
                                + (received.isEmpty()
                                        ? " (no notification at all: is Alertmanager running, do the rules load?)"
                                        : "; notifications received: " + received + "; firing before the burst: "
                                                + before.size()));
                return;
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        }
    }
}
