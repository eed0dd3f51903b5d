package io.sightline.telemetry.startup;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The preload thread: started as the application starts, it loads the listed classes through the application's
 * class loader without initialising them, skips missing ones, stops at the off switch, is not started on one
 * processor, and ends quietly on anything else thrown.
 */
class ClassPreloadListenerTest {

    private static final String LIST = "preload/targets.txt";

    private static final String FIRST = "io.sightline.telemetry.startup.PreloadedFirst";

    private static final String SECOND = "io.sightline.telemetry.startup.PreloadedSecond";

    private static final Duration GENEROUS = Duration.ofSeconds(30);

    private static final int TWO_PROCESSORS = 2;

    @Test
    void isRegisteredForEveryApplication() {
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(ApplicationListener.class))
                .hasAtLeastOneElementOfType(ClassPreloadListener.class);
    }

    @Test
    void loadsTheListedClassesOnANamedDaemonThreadWithoutInitialisingThem() throws Exception {
        DefiningClassLoader loader = new DefiningClassLoader(Set.of(FIRST, SECOND));
        ClassPreloadListener listener = new ClassPreloadListener(LIST, () -> TWO_PROCESSORS);

        listener.onApplicationEvent(starting(loader));

        Thread thread = awaitTheEndOfThePreload(listener);
        assertThat(thread.getName()).isEqualTo("sightline-preload");
        assertThat(thread.isDaemon()).isTrue();
        // the missing class between them was skipped
        assertThat(loader.defined(FIRST)).isTrue();
        assertThat(loader.defined(SECOND)).isTrue();
        Class<?> first = loader.loadClass(FIRST);
        assertThat(InitialisationRecorder.INITIALISED).doesNotContain(first, loader.loadClass(SECOND));
        // the recorder does see an initialisation
        Class.forName(FIRST, true, loader);
        assertThat(InitialisationRecorder.INITIALISED).contains(first);
    }

    @Test
    void theOffSwitchOnTheCommandLineStartsNothing() {
        DefiningClassLoader loader = new DefiningClassLoader(Set.of(FIRST, SECOND));
        ClassPreloadListener listener = new ClassPreloadListener(LIST, () -> TWO_PROCESSORS);

        listener.onApplicationEvent(starting(loader, "--sightline.startup.preload.enabled=false"));

        assertThat(listener.thread()).isEmpty();
        assertThat(loader.defined(FIRST)).isFalse();
    }

    @Test
    void theOffSwitchAsASystemPropertyStartsNothing() {
        DefiningClassLoader loader = new DefiningClassLoader(Set.of(FIRST, SECOND));
        ClassPreloadListener listener = new ClassPreloadListener(LIST, () -> TWO_PROCESSORS);

        System.setProperty("sightline.startup.preload.enabled", "false");
        try {
            listener.onApplicationEvent(starting(loader));
        } finally {
            System.clearProperty("sightline.startup.preload.enabled");
        }

        assertThat(listener.thread()).isEmpty();
    }

    @Test
    void theOffSwitchInTheApplicationsConfigurationStopsThePreloadOnceTheEnvironmentIsPrepared() throws Exception {
        CountDownLatch firstBeingLoaded = new CountDownLatch(1);
        CountDownLatch environmentPrepared = new CountDownLatch(1);
        DefiningClassLoader loader = new DefiningClassLoader(Set.of(FIRST, SECOND), name -> {
            firstBeingLoaded.countDown();
            awaitQuietly(environmentPrepared);
        });
        ClassPreloadListener listener = new ClassPreloadListener(LIST, () -> TWO_PROCESSORS);
        ApplicationStartingEvent starting = starting(loader);

        listener.onApplicationEvent(starting);
        assertThat(firstBeingLoaded.await(GENEROUS.toSeconds(), TimeUnit.SECONDS))
                .isTrue();
        listener.onApplicationEvent(
                environmentPrepared(starting, Map.of("sightline.startup.preload.enabled", "false")));
        environmentPrepared.countDown();

        awaitTheEndOfThePreload(listener);
        assertThat(loader.defined(FIRST)).isTrue();
        assertThat(loader.defined(SECOND)).isFalse();
    }

    @Test
    void aPreparedEnvironmentWithoutTheOffSwitchLetsThePreloadFinish() {
        CountDownLatch environmentPrepared = new CountDownLatch(1);
        DefiningClassLoader loader =
                new DefiningClassLoader(Set.of(FIRST, SECOND), name -> awaitQuietly(environmentPrepared));
        ClassPreloadListener listener = new ClassPreloadListener(LIST, () -> TWO_PROCESSORS);
        ApplicationStartingEvent starting = starting(loader);

        listener.onApplicationEvent(starting);
        listener.onApplicationEvent(environmentPrepared(starting, Map.of()));
        environmentPrepared.countDown();

        awaitTheEndOfThePreload(listener);
        assertThat(loader.defined(SECOND)).isTrue();
    }

    @Test
    void oneAvailableProcessorStartsNothing() {
        DefiningClassLoader loader = new DefiningClassLoader(Set.of(FIRST, SECOND));
        ClassPreloadListener listener = new ClassPreloadListener(LIST, () -> 1);

        listener.onApplicationEvent(starting(loader));

        assertThat(listener.thread()).isEmpty();
        assertThat(loader.defined(FIRST)).isFalse();
    }

    @Test
    void anythingElseThrownWhileLoadingEndsThePreloadAndNothingElse() {
        DefiningClassLoader loader = new DefiningClassLoader(Set.of(FIRST, SECOND), name -> {
            if (name.equals(FIRST)) {
                throw new IllegalStateException("a class loader that breaks");
            }
        });
        ClassPreloadListener listener = new ClassPreloadListener(LIST, () -> TWO_PROCESSORS);

        listener.onApplicationEvent(starting(loader));

        awaitTheEndOfThePreload(listener);
        assertThat(loader.defined(SECOND)).isFalse();
    }

    @Test
    void aMissingListStartsAThreadThatLoadsNothing() {
        DefiningClassLoader loader = new DefiningClassLoader(Set.of(FIRST, SECOND));
        ClassPreloadListener listener = new ClassPreloadListener("preload/no-such-list.txt", () -> TWO_PROCESSORS);

        listener.onApplicationEvent(starting(loader));

        awaitTheEndOfThePreload(listener);
        assertThat(loader.defined(FIRST)).isFalse();
    }

    private static Thread awaitTheEndOfThePreload(ClassPreloadListener listener) {
        Thread thread = listener.thread().orElseThrow();
        await().atMost(GENEROUS).until(() -> !thread.isAlive());
        return thread;
    }

    private static ApplicationStartingEvent starting(ClassLoader loader, String... args) {
        SpringApplication application = new SpringApplication(new DefaultResourceLoader(loader), Object.class);
        return new ApplicationStartingEvent(new DefaultBootstrapContext(), application, args);
    }

    private static ApplicationEnvironmentPreparedEvent environmentPrepared(
            ApplicationStartingEvent starting, Map<String, Object> configuration) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application.properties", configuration));
        return new ApplicationEnvironmentPreparedEvent(
                new DefaultBootstrapContext(), starting.getSpringApplication(), starting.getArgs(), environment);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
