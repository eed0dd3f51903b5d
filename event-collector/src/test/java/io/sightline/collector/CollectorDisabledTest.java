package io.sightline.collector;

import io.sightline.collector.pipeline.EventCollector;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The off switch: {@code sightline.collector.enabled=false} starts the application without touching the
 * Kubernetes API (there is none on these machines, and none is needed here) and keeps readiness up.
 */
class CollectorDisabledTest {

    @Test
    void disabledCollectorStartsNothingAndStaysReady() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(EventCollectorApplication.class)
                .web(WebApplicationType.NONE)
                .properties("sightline.collector.enabled=false")
                .run()) {
            assertThat(context.getBeanNamesForType(EventCollector.class)).isEmpty();
            assertThat(context.getBean(HealthEndpoint.class)
                            .healthForPath("readiness")
                            .getStatus())
                    .isEqualTo(Status.UP);
        }
    }
}
