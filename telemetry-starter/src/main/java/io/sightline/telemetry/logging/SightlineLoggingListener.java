package io.sightline.telemetry.logging;

import java.util.function.Function;

import ch.qos.logback.classic.LoggerContext;
import io.sightline.telemetry.support.ServiceIdentity;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Configures logback right after Spring Boot does: logging is set up before any bean exists, so this
 * is an application listener (registered in {@code META-INF/spring.factories}) ordered just after
 * Boot's {@link LoggingApplicationListener}, not an auto-configuration.
 * <p>
 * Binding {@link LoggingProperties} here also makes an invalid setting fail the start-up before
 * anything else runs, with the property's name in the message.
 */
public class SightlineLoggingListener implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

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
        installer.install(properties, properties.format().resolve(this.environmentVariables), identity);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
