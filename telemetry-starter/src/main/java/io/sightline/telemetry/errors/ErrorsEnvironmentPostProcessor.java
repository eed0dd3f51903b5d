package io.sightline.telemetry.errors;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sightline.telemetry.support.ServiceIdentity;
import io.sightline.telemetry.support.StarterDefaults;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.StringUtils;

/**
 * Maps {@code sightline.errors.*} to Sentry's own {@code sentry.*} properties, as defaults.
 * Sentry's Spring Boot integration only starts when {@code sentry.dsn} is set, so without a DSN
 * (here, in {@code sentry.dsn} or in {@code SENTRY_DSN}) nothing of Sentry runs. With one, the
 * timeouts are short and the queue bounded: a Sentry host that accepts connections and never
 * answers costs each shutdown about a second, and never slows a request.
 */
public class ErrorsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    private static final String SENTRY_DSN = "sentry.dsn";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (!StarterDefaults.enabled(environment, "sightline.errors")) {
            defaults.put("sentry.enabled", "false");
            StarterDefaults.add(environment, defaults);
            return;
        }
        ErrorsProperties properties = Binder.get(environment).bindOrCreate("sightline.errors", ErrorsProperties.class);
        String dsn = properties.sentry().dsn();
        if (StringUtils.hasText(dsn)) {
            ErrorsProperties.checkDsn("sightline.errors.sentry.dsn", dsn);
            defaults.put(SENTRY_DSN, dsn.trim());
        } else {
            String sentryDsn = environment.getProperty(SENTRY_DSN);
            if (!StringUtils.hasText(sentryDsn)) {
                return;
            }
            ErrorsProperties.checkDsn("sentry.dsn (or SENTRY_DSN)", sentryDsn);
        }
        ServiceIdentity identity = ServiceIdentity.from(environment, application.getClassLoader());
        defaults.put("sentry.environment", properties.environment());
        if (identity.version() != null) {
            defaults.put("sentry.release", identity.version());
        }
        defaults.put("sentry.max-queue-size", properties.sentry().maxQueueSize());
        defaults.put("sentry.connection-timeout-millis", "1000");
        defaults.put("sentry.read-timeout-millis", "2000");
        // Closing waits for both the flush and the sender's termination: 2 x 700 ms stays under 3 s.
        defaults.put("sentry.shutdown-timeout-millis", "700");
        defaults.put("sentry.flush-timeout-millis", "700");
        defaults.put("sentry.send-default-pii", "false");
        defaults.put("sentry.logging.minimum-event-level", "error");
        StarterDefaults.add(environment, defaults);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
