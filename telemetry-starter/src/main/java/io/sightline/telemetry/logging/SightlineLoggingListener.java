package io.sightline.telemetry.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import ch.qos.logback.classic.LoggerContext;
import io.sightline.telemetry.logging.LoggingProperties.Format;
import io.sightline.telemetry.support.ServiceIdentity;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.StringUtils;

/**
 * Configures logback right after Spring Boot does: logging is set up before any bean exists, so this
 * is an application listener (registered in {@code META-INF/spring.factories}) ordered just after
 * Boot's {@link LoggingApplicationListener}, not an auto-configuration.
 * <p>
 * Binding {@link LoggingProperties} here also makes an invalid setting fail the start-up before
 * anything else runs, with the property's name in the message. In JSON mode Boot's banner is switched
 * off, so standard output is one JSON object per line. When the starter changed the application's own
 * logging set-up (a console appender replaced, an appender put behind the masking queue, a structured
 * console format not used), it says so in one warning.
 */
public class SightlineLoggingListener implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    /** Boot's structured console format, which the starter's JSON console replaces. */
    static final String STRUCTURED_CONSOLE_FORMAT = "logging.structured.format.console";

    /** Right after Boot has configured logback from {@code logging.*}. */
    public static final int ORDER = LoggingApplicationListener.DEFAULT_ORDER + 1;

    private final Function<String, String> environmentVariables;

    public SightlineLoggingListener() {
        this(System::getenv);
    }

    /**
     * @param environmentVariables how to read environment variables such as {@code KUBERNETES_SERVICE_HOST}
     */
    SightlineLoggingListener(Function<String, String> environmentVariables) {
        this.environmentVariables = environmentVariables;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        LoggingProperties properties =
                Binder.get(environment).bindOrCreate("sightline.logging", LoggingProperties.class);
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // Another logging backend: nothing of ours to configure.
        }
        LogbackInstaller installer = new LogbackInstaller(context);
        if (!properties.enabled()) {
            installer.uninstall();
            return;
        }
        ServiceIdentity identity =
                ServiceIdentity.from(environment, event.getSpringApplication().getClassLoader());
        Format format = properties.format().resolve(this.environmentVariables);
        List<String> changes = new ArrayList<>(installer
                .install(properties, format, identity, properties.masking().masker())
                .changes());
        if (format == Format.JSON) {
            // Standard output is one JSON object per line; spring.main.banner-mode, bound after this, still wins.
            event.getSpringApplication().setBannerMode(Banner.Mode.OFF);
            String structured = environment.getProperty(STRUCTURED_CONSOLE_FORMAT);
            if (StringUtils.hasText(structured)) {
                changes.add(
                        "'" + STRUCTURED_CONSOLE_FORMAT + "=" + structured
                                + "' is not used: standard output carries the Sightline JSON record (telemetry contract, section 2)");
            }
        }
        if (!changes.isEmpty()) {
            context.getLogger(SightlineLoggingListener.class)
                    .warn(
                            "The Sightline starter changed this application's logging set-up: {}. Set "
                                    + "sightline.logging.format=text to keep your own console format, or "
                                    + "sightline.logging.enabled=false to leave logging as configured.",
                            String.join("; ", changes));
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
