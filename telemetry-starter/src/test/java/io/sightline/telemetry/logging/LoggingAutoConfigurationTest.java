package io.sightline.telemetry.logging;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sightline.telemetry.masking.Masker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Beans of the logging concern and validation of its properties at start-up. */
class LoggingAutoConfigurationTest {

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LoggingAutoConfiguration.class));

    @Test
    void providesAMaskerWithTheConfiguredExtraKeys() {
        this.runner
                .withPropertyValues("sightline.logging.masking.extra-keys=pin,iban")
                .run(context -> {
                    Masker masker = context.getBean(Masker.class);
                    assertThat(masker.mask("pin=1234 password=x")).isEqualTo("pin=**** password=****");
                });
    }

    @Test
    void registersTheDropCounterUnderItsContractName() {
        this.runner.run(context -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(MeterBinder.class).bindTo(registry);
            FunctionCounter dropped =
                    registry.get(LoggingAutoConfiguration.DROPPED_METRIC).functionCounter();
            assertThat(dropped.count()).isGreaterThanOrEqualTo(0);
        });
    }

    @Test
    void offSwitchRemovesTheDropCounter() {
        this.runner.withPropertyValues("sightline.logging.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(MeterBinder.class)
                .hasSingleBean(Masker.class));
    }

    @Test
    void invalidQueueSizeIsAStartupFailureNamingTheProperty() {
        this.runner.withPropertyValues("sightline.logging.async.queue-size=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("'sightline.logging.async.queue-size'")
                    .hasMessageContaining("positive number");
        });
    }

    @Test
    void invalidFileHistoryIsAStartupFailureNamingTheProperty() {
        this.runner.withPropertyValues("sightline.logging.file.max-history=100").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("'sightline.logging.file.max-history'");
        });
    }
}
