package io.sightline.telemetry.startup;

import java.util.Optional;
import java.util.function.IntSupplier;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Starts the {@link ClassPreloader} with the libraries' class list as the application starts (the earliest event
 * a starter can act on; registered in {@code META-INF/spring.factories}), the way Spring Boot's own
 * {@code BackgroundPreinitializer} warms up parts of Boot. Start-up is single-threaded: a third to a half of the
 * main thread's time goes to class loading, while a second core is mostly idle (docs/benchmarks.md).
 * <p>
 * The off switch {@code sightline.startup.preload.enabled} is read, when the application starts, from what
 * exists then: system properties, environment variables and command-line arguments. Set only in the
 * application's configuration files, it is known once the environment is prepared, and stops the preload
 * there. With one available processor the preload would only compete with the main thread and is not started.
 */
public class ClassPreloadListener implements ApplicationListener<SpringApplicationEvent>, Ordered {

    /**
     * The classes the demo service loads from its libraries (Spring, Tomcat, Jackson, Logback, the feature
     * libraries) before its first response, in load order (benchmarks/starter/preload-classes.sh).
     */
    static final String CLASS_LIST = "META-INF/sightline/preload-classes.txt";

    private final String classList;

    private final IntSupplier availableProcessors;

    private ClassPreloader preloader;

    private Thread thread;

    public ClassPreloadListener() {
        this(CLASS_LIST, Runtime.getRuntime()::availableProcessors);
    }

    /**
     * @param classList the class list resource
     * @param availableProcessors the processors this JVM may use
     */
    ClassPreloadListener(String classList, IntSupplier availableProcessors) {
        this.classList = classList;
        this.availableProcessors = availableProcessors;
    }

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationStartingEvent) {
            StandardEnvironment available = new StandardEnvironment();
            available.getPropertySources().addFirst(new SimpleCommandLinePropertySource(event.getArgs()));
            if (enabled(available) && this.availableProcessors.getAsInt() > 1) {
                this.preloader = new ClassPreloader(
                        this.classList, event.getSpringApplication().getClassLoader());
                this.thread = this.preloader.start();
            }
        } else if (event instanceof ApplicationEnvironmentPreparedEvent prepared
                && this.preloader != null
                && !enabled(prepared.getEnvironment())) {
            this.preloader.stop();
        }
    }

    /** The preload thread this listener started, if any. */
    Optional<Thread> thread() {
        return Optional.ofNullable(this.thread);
    }

    private static boolean enabled(ConfigurableEnvironment environment) {
        return Binder.get(environment)
                .bindOrCreate("sightline.startup", StartupProperties.class)
                .preload()
                .enabled();
    }

    /** Before Boot's own starting listeners: the sooner the thread runs, the further ahead it gets. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
