package io.sightline.telemetry.errors;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * Error tracking with Sentry. Nothing of Sentry starts unless a DSN is configured.
 *
 * @param enabled Whether the starter may start Sentry; when false Sentry stays off even if
 * {@code SENTRY_DSN} is set
 * @param environment The Sentry environment events are filed under
 * @param sentry The Sentry connection
 */
@ConfigurationProperties("sightline.errors")
public record ErrorsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("production") String environment,
        @DefaultValue Sentry sentry) {

    /**
     * @param dsn The project's DSN, e.g. {@code https://<key>@sentry.example.com/<project>};
     * {@code SENTRY_DSN} and {@code sentry.dsn} work too
     * @param maxQueueSize How many events may wait to be sent; when full, new events are dropped
     * (and Sentry logs it) instead of slowing the application
     * @param requestOnDemand Whether an event's request data (URL, query, headers) is read when the event is
     * captured instead of on every request, Sentry's own way (false); the events are the same, an event captured
     * after its request was answered carries none
     */
    public record Sentry(
            String dsn,
            @DefaultValue("100") int maxQueueSize,
            @DefaultValue("true") boolean requestOnDemand) {

        public Sentry {
            if (maxQueueSize < 1) {
                throw new InvalidConfigurationPropertyValueException(
                        "sightline.errors.sentry.max-queue-size",
                        maxQueueSize,
                        "It must be at least 1; remove it to use the default");
            }
        }
    }

    /**
     * Checks the shape Sentry requires ({@code scheme://key@host/project}) so a typo is reported
     * at start-up under the property's name rather than as Sentry's bare "Invalid DSN".
     */
    static void checkDsn(String property, String dsn) {
        String reason = dsnProblem(dsn.trim());
        if (reason != null) {
            throw new InvalidConfigurationPropertyValueException(
                    property,
                    dsn,
                    reason + "; a Sentry DSN looks like https://<public key>@sentry.example.com/<project id>");
        }
    }

    private static String dsnProblem(String dsn) {
        URI uri;
        try {
            uri = URI.create(dsn);
        } catch (IllegalArgumentException ex) {
            return "It is not a URL";
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            return "Its scheme must be http or https";
        }
        if (!StringUtils.hasText(uri.getUserInfo())) {
            return "It has no public key before '@'";
        }
        if (uri.getHost() == null) {
            return "It has no host";
        }
        String path = uri.getPath();
        if (path == null || path.replace("/", "").isEmpty()) {
            return "It has no project id after the host";
        }
        return null;
    }
}
