package io.sightline.telemetry.metrics;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.transport.ReceiverContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ExceptionMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private ExceptionMetrics metrics(int maxClasses) {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("registry", this.registry);
        return new ExceptionMetrics(beans.getBeanProvider(MeterRegistry.class), maxClasses);
    }

    @Test
    void classesBeyondTheCapAreCountedAsOther() {
        ExceptionMetrics metrics = metrics(2);
        List<RuntimeException> exceptions = List.of(
                new IllegalStateException(),
                new IllegalArgumentException(),
                new IllegalStateException(),
                new ArithmeticException(),
                new UnsupportedOperationException(),
                new IllegalArgumentException());
        exceptions.forEach(metrics::record);

        assertThat(count("IllegalStateException")).isEqualTo(2);
        assertThat(count("IllegalArgumentException")).isEqualTo(2);
        assertThat(count(ExceptionMetrics.OTHER)).isEqualTo(2);
        assertThat(this.registry.find(ExceptionMetrics.METER_NAME).counters()).hasSize(3);
    }

    @Test
    void anonymousClassesAreNamedByTheirBinaryName() {
        ExceptionMetrics metrics = metrics(5);
        metrics.record(new RuntimeException() {});
        assertThat(this.registry
                        .find(ExceptionMetrics.METER_NAME)
                        .counter()
                        .getId()
                        .getTag("exception"))
                .startsWith(ExceptionMetricsTest.class.getName() + "$");
    }

    @Test
    void onlyFailedIncomingRequestsAreCounted() {
        ExceptionMetrics metrics = metrics(5);
        ReceiverContext<Object> failed = new ReceiverContext<>((carrier, key) -> null);
        failed.setError(new IllegalStateException());
        ReceiverContext<Object> succeeded = new ReceiverContext<>((carrier, key) -> null);
        Observation.Context internal = new Observation.Context();
        internal.setError(new IllegalArgumentException());

        assertThat(metrics.supportsContext(failed)).isTrue();
        assertThat(metrics.supportsContext(internal)).isFalse();
        metrics.onStop(failed);
        metrics.onStop(succeeded);

        assertThat(count("IllegalStateException")).isEqualTo(1);
        assertThat(this.registry.find(ExceptionMetrics.METER_NAME).counters()).hasSize(1);
    }

    /** Before, the starter registered its own bean beside the application's: exceptions were counted twice. */
    @Test
    void theApplicationsOwnBeanReplacesTheStarters() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
                .withBean("ownExceptionMetrics", ExceptionMetrics.class, () -> metrics(3))
                .run(context -> assertThat(context.getBeansOfType(ExceptionMetrics.class))
                        .containsOnlyKeys("ownExceptionMetrics"));
    }

    private double count(String exception) {
        return this.registry
                .get(ExceptionMetrics.METER_NAME)
                .tag("exception", exception)
                .counter()
                .count();
    }
}
