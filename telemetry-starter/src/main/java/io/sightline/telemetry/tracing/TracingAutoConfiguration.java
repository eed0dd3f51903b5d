package io.sightline.telemetry.tracing;

import java.util.LinkedHashMap;
import java.util.Map;

import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.ResourceBuilder;
import io.sightline.telemetry.support.ServiceIdentity;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetryProperties;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetryResourceAttributes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.util.StringUtils;

/**
 * Adds to Boot's OpenTelemetry tracing what it leaves out: the Kubernetes resource attributes and
 * the service version on every span, and a context-propagating {@link TaskDecorator} so that
 * {@code @Async} methods and Boot's task executor carry the trace (and the log MDC) of the
 * caller.
 */
@AutoConfiguration(
        beforeName = "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration")
@ConditionalOnBooleanProperty(name = "sightline.tracing.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TracingProperties.class)
public class TracingAutoConfiguration {

    /** Downward API variables of the pod manifest, mapped to OpenTelemetry's semantic conventions. */
    static final Map<String, String> KUBERNETES_ATTRIBUTES =
            Map.of("POD_NAMESPACE", "k8s.namespace.name", "POD_NAME", "k8s.pod.name", "NODE_NAME", "k8s.node.name");

    /** Boot composes every {@link TaskDecorator} bean, so the application's own decorators keep working beside it. */
    @Bean
    @ConditionalOnMissingBean(ContextPropagatingTaskDecorator.class)
    ContextPropagatingTaskDecorator sightlineContextPropagatingTaskDecorator() {
        return new ContextPropagatingTaskDecorator();
    }

    /**
     * A cheaper extract of the incoming trace context around Boot's propagator: same formats, same result
     * ({@link LeanExtractPropagator}).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(
            name = {
                LeanExtractPostProcessor.BOOTS_PROPAGATOR,
                "io.opentelemetry.extension.trace.propagation.B3Propagator"
            })
    static class PropagationConfiguration {

        @Bean
        static LeanExtractPostProcessor sightlineLeanExtractPostProcessor(
                ObjectProvider<org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties>
                        properties) {
            return new LeanExtractPostProcessor(properties);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({Resource.class, OpenTelemetryResourceAttributes.class})
    static class ResourceConfiguration {

        /**
         * Replaces Boot's resource: same SDK defaults and same handling of
         * {@code OTEL_RESOURCE_ATTRIBUTES} and {@code management.opentelemetry.resource-attributes}
         * (which still win), plus the service identity and the Kubernetes attributes.
         */
        @Bean
        @ConditionalOnMissingBean
        Resource openTelemetryResource(
                Environment environment,
                ResourceLoader resourceLoader,
                ObjectProvider<OpenTelemetryProperties> properties) {
            Map<String, String> attributes =
                    starterAttributes(environment, ServiceIdentity.from(environment, resourceLoader));
            OpenTelemetryProperties configured = properties.getIfAvailable();
            if (configured != null) {
                attributes.putAll(configured.getResourceAttributes());
            }
            ResourceBuilder builder = Resource.builder();
            new OpenTelemetryResourceAttributes(environment, attributes).applyTo(builder::put);
            return Resource.getDefault().merge(builder.build());
        }

        static Map<String, String> starterAttributes(Environment environment, ServiceIdentity identity) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("service.name", identity.name());
            if (identity.version() != null) {
                attributes.put("service.version", identity.version());
            }
            KUBERNETES_ATTRIBUTES.forEach((variable, attribute) -> {
                String value = environment.getProperty(variable);
                if (StringUtils.hasText(value)) {
                    attributes.put(attribute, value);
                }
            });
            return attributes;
        }
    }
}
