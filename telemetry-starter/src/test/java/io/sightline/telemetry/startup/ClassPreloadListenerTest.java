package io.sightline.telemetry.startup;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
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

    /** {@code off} as well: the switch is converted by Boot's rules, as any boolean property. */
    @ParameterizedTest
    @ValueSource(strings = {"false", "off"})
    void theOffSwitchOnTheCommandLineStartsNothing(String off) {
        DefiningClassLoader loader = new DefiningClassLoader(Set.of(FIRST, SECOND));
        ClassPreloadListener listener = new ClassPreloadListener(LIST, () -> TWO_PROCESSORS);

        listener.onApplicationEvent(starting(loader, "--sightline.startup.preload.enabled=" + off));

        assertThat(listener.thread()).isEmpty();
        assertThat(loader.defined(FIRST)).isFalse();
    }

    @Test
    void anOffSwitchThatIsNotABooleanFailsTheStart() {
        ClassPreloadListener listener = new ClassPreloadListener(LIST, () -> TWO_PROCESSORS);
        ApplicationStartingEvent starting =
                starting(new DefiningClassLoader(Set.of()), "--sightline.startup.preload.enabled=maybe");

        assertThatExceptionOfType(BindException.class).isThrownBy(() -> listener.onApplicationEvent(starting));
        assertThat(listener.thread()).isEmpty();
    }

    /**
     * Binding the switch builds Boot's shared converters (the binder's and the conversion service), tens of
     * milliseconds of class loading on the main thread before the preload can start (docs/benchmarks.md, session 7);
     * the application's own environment needs those classes only later, by when the preload has loaded them. Unset,
     * the switch is not bound. (Both are static singletons: emptied here for the test, put back after it.)
     */
    @Test
    void anUnsetOffSwitchStartsThePreloadWithoutBuildingBootsSharedConverters() throws Exception {
        List<Field> shared = List.of(
                sharedInstance(Class.forName("org.springframework.boot.context.properties.bind.BindConverter")),
                sharedInstance(ApplicationConversionService.class));
        List<Object> before = new ArrayList<>();
        for (Field field : shared) {
            before.add(field.get(null));
            field.set(null, null);
        }
        try {
            ClassPreloadListener listener = new ClassPreloadListener(LIST, () -> TWO_PROCESSORS);

            listener.onApplicationEvent(starting(new DefiningClassLoader(Set.of(FIRST, SECOND))));

            assertThat(listener.thread()).isPresent();
            for (Field field : shared) {
                assertThat(field.get(null)).as(field.toString()).isNull();
            }
        } finally {
            for (int i = 0; i < shared.size(); i++) {
                shared.get(i).set(null, before.get(i));
            }
        }
    }

    @Test
    void whatAnUnsetSwitchMeansIsThePropertiesDefault() {
        assertThat(new Binder()
                        .bindOrCreate("sightline.startup", StartupProperties.class)
                        .preload()
                        .enabled())
                .isEqualTo(ClassPreloadListener.ENABLED_UNLESS_SET);
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

    /** In the application's configuration files, or as an environment variable (by the binder's relaxed names). */
    static Stream<PropertySource<?>> offSwitches() {
        return Stream.of(
                new MapPropertySource("application.properties", Map.of("sightline.startup.preload.enabled", "false")),
                new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("SIGHTLINE_STARTUP_PRELOAD_ENABLED", "false")));
    }

    @ParameterizedTest
    @MethodSource("offSwitches")
    void theOffSwitchInTheApplicationsConfigurationStopsThePreloadOnceTheEnvironmentIsPrepared(
            PropertySource<?> offSwitch) throws Exception {
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
        listener.onApplicationEvent(environmentPrepared(starting, offSwitch));
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
        listener.onApplicationEvent(
                environmentPrepared(starting, new MapPropertySource("application.properties", Map.of())));
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

    private static Field sharedInstance(Class<?> type) throws NoSuchFieldException {
        Field field = type.getDeclaredField("sharedInstance");
        field.setAccessible(true);
        return field;
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
            ApplicationStartingEvent starting, PropertySource<?> configuration) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(configuration);
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
