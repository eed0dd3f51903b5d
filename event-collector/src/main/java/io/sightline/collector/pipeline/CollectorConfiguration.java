package io.sightline.collector.pipeline;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.sightline.collector.config.CollectorProperties;
import io.sightline.collector.metrics.CollectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the collector into the application when {@code sightline.collector.enabled} is true (the default). */
@Configuration(proxyBeanMethods = false)
public class CollectorConfiguration {

    /**
     * Readiness: not ready until the informers have listed every event and are watching. Present also when the
     * collector is switched off (then always up), because the readiness group names it.
     */
    @Bean
    HealthIndicator eventInformers(ObjectProvider<EventCollector> collector) {
        return () -> {
            EventCollector c = collector.getIfAvailable();
            if (c == null) {
                return Health.up().withDetail("collector", "disabled").build();
            }
            return c.isSynced()
                    ? Health.up().withDetail("leader", c.isLeading()).build()
                    : Health.outOfService()
                            .withDetail("reason", "informers have not synced yet")
                            .build();
        };
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "sightline.collector", name = "enabled", matchIfMissing = true)
    static class Enabled {

        private static final Logger log = LoggerFactory.getLogger(CollectorConfiguration.class);

        /** In-cluster: the pod's service account; elsewhere fabric8's usual sources (kubeconfig, system properties). */
        @Bean(destroyMethod = "close")
        KubernetesClient kubernetesClient() {
            return new KubernetesClientBuilder().build();
        }

        @Bean
        CollectorMetrics collectorMetrics(MeterRegistry registry) {
            return new CollectorMetrics(registry);
        }

        @Bean
        EventCollector eventCollector(
                KubernetesClient client, CollectorProperties properties, CollectorMetrics metrics) {
            String selfNamespace = properties.selfNamespace().isEmpty()
                    ? Optional.ofNullable(client.getNamespace()).orElse("default")
                    : properties.selfNamespace();
            return new EventCollector(client, properties, selfNamespace, identity(), metrics, Clock.systemUTC());
        }

        @Bean
        SmartLifecycle eventCollectorLifecycle(EventCollector collector) {
            return new SmartLifecycle() {
                private volatile boolean running;

                @Override
                public void start() {
                    collector.start().exceptionally(failure -> {
                        log.error("The event collector could not start watching; readiness stays down", failure);
                        return null;
                    });
                    running = true;
                }

                @Override
                public void stop() {
                    collector.close();
                    running = false;
                }

                @Override
                public boolean isRunning() {
                    return running;
                }
            };
        }

        /** The pod name (Downward API) identifies this replica in the Lease. */
        private static String identity() {
            String pod = System.getenv("POD_NAME");
            if (pod == null || pod.isEmpty()) {
                pod = System.getenv("HOSTNAME");
            }
            return pod == null || pod.isEmpty() ? "event-collector-" + UUID.randomUUID() : pod;
        }
    }
}
