package io.sightline.telemetry.tracing;

import java.util.List;

import io.opentelemetry.context.propagation.TextMapPropagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties;
import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties.Propagation.PropagationType;

/**
 * Puts {@link LeanExtractPropagator} around the propagator Boot builds from
 * {@code management.tracing.propagation.*} and {@code management.tracing.baggage.*}, read from the same
 * properties, while no baggage remote field is configured. An application's own
 * {@code TextMapPropagator} beans are left alone (Boot composes them beside its own), and so is Boot's
 * when remote fields are configured: their propagator then has work to do.
 */
final class LeanExtractPostProcessor implements BeanPostProcessor {

    /** Boot's (package-private) propagator; recognised by name so that no other propagator is wrapped. */
    static final String BOOTS_PROPAGATOR =
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.CompositeTextMapPropagator";

    private final ObjectProvider<TracingProperties> properties;

    LeanExtractPostProcessor(ObjectProvider<TracingProperties> properties) {
        this.properties = properties;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof TextMapPropagator boots)
                || !BOOTS_PROPAGATOR.equals(bean.getClass().getName())) {
            return bean;
        }
        TracingProperties tracing = this.properties.getIfAvailable();
        if (tracing == null || !tracing.getBaggage().getRemoteFields().isEmpty()) {
            return bean;
        }
        TracingProperties.Propagation propagation = tracing.getPropagation();
        // Boot's rule: "type" sets both directions and wins over "consume".
        List<PropagationType> consumed =
                (propagation.getType() != null) ? propagation.getType() : propagation.getConsume();
        return new LeanExtractPropagator(boots, consumed, tracing.getBaggage().isEnabled());
    }
}
