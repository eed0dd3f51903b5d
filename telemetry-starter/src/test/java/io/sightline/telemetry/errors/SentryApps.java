package io.sightline.telemetry.errors;

import java.util.List;

import io.sightline.telemetry.support.LocalHttpReceiver;
import io.sightline.telemetry.support.RunningApp;
import org.springframework.boot.WebApplicationType;
import tools.jackson.databind.JsonNode;

/** Servlet applications reporting to a local Sentry stand-in, and the events it received. */
final class SentryApps {

    private SentryApps() {}

    /** Starts {@code application} with its Sentry DSN pointing at {@code sentry}, plus {@code properties}. */
    static RunningApp reportingTo(LocalHttpReceiver sentry, Class<?> application, String... properties) {
        String[] all = new String[properties.length + 1];
        all[0] = "sightline.errors.sentry.dsn=http://publickey@127.0.0.1:" + sentry.port() + "/42";
        System.arraycopy(properties, 0, all, 1, properties.length);
        return RunningApp.start(application, WebApplicationType.SERVLET, all);
    }

    /** The events of every envelope {@code sentry} received so far. */
    static List<JsonNode> events(LocalHttpReceiver sentry) {
        return sentry.received().stream()
                .flatMap((request) -> SentryEnvelopes.events(request.body()).stream())
                .toList();
    }
}
