package io.sightline.collector.pipeline;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.sightline.collector.checkpoint.ConfigMapCheckpointStore;
import io.sightline.collector.config.CollectorProperties;
import io.sightline.collector.leader.Leadership;
import io.sightline.collector.metrics.CollectorMetrics;
import io.sightline.collector.output.RecordWriter;
import io.sightline.collector.watch.EventApi;
import io.sightline.collector.watch.EventInformers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires the collector when {@code sightline.collector.enabled} is true (the default): every collaborator is a bean,
 * built from {@link CollectorProperties}, a {@link KubernetesClient}, a {@link MeterRegistry} and a {@link Clock}
 * (beans of the application, or of a test).
 */
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

        /** This replica: where its Lease and checkpoint live, and its name in the Lease. */
        @Bean
        ReplicaIdentity replicaIdentity(CollectorProperties properties, KubernetesClient client, Environment env) {
            String namespace = properties.selfNamespace().isEmpty()
                    ? Optional.ofNullable(client.getNamespace()).orElse("default")
                    : properties.selfNamespace();
            // the pod name (Downward API) identifies this replica in the Lease
            String name = env.getProperty("POD_NAME", env.getProperty("HOSTNAME", ""));
            return new ReplicaIdentity(namespace, name.isEmpty() ? "event-collector-" + UUID.randomUUID() : name);
        }

        @Bean
        CollectorMetrics collectorMetrics(MeterRegistry registry) {
            return new CollectorMetrics(registry);
        }

        @Bean(destroyMethod = "close")
        EventInformers informers(
                KubernetesClient client, CollectorProperties properties, CollectorMetrics metrics, Clock clock) {
            return new EventInformers(
                    client, EventApi.resolve(properties.apiChoice(), client), properties.namespaces(), metrics, clock);
        }

        @Bean(destroyMethod = "close")
        RecordWriter recordWriter(CollectorProperties properties, CollectorMetrics metrics) {
            var output = properties.output();
            return new RecordWriter(
                    output.path(), output.queueCapacity(), output.maxFileSize().toBytes(), output.maxFiles(), metrics);
        }

        @Bean
        ConfigMapCheckpointStore checkpointStore(
                KubernetesClient client, CollectorProperties properties, ReplicaIdentity self) {
            return new ConfigMapCheckpointStore(
                    client, self.namespace(), properties.checkpoint().configMapName());
        }

        /** One thread for leadership changes and checkpoints: they stay in order and off the client's I/O threads. */
        @Bean(destroyMethod = "shutdownNow")
        ScheduledExecutorService collectorScheduler() {
            return Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "event-collector-leadership");
                t.setDaemon(true);
                return t;
            });
        }

        @Bean(destroyMethod = "close")
        Leadership leadership(
                KubernetesClient client,
                CollectorProperties properties,
                ReplicaIdentity self,
                ScheduledExecutorService collectorScheduler) {
            return new Leadership(
                    client, properties.leaderElection(), self.namespace(), self.name(), collectorScheduler);
        }

        @Bean
        EventCollector eventCollector(
                CollectorProperties properties,
                EventInformers informers,
                RecordWriter recordWriter,
                ConfigMapCheckpointStore checkpointStore,
                Leadership leadership,
                ScheduledExecutorService collectorScheduler,
                CollectorMetrics metrics,
                Clock clock) {
            return new EventCollector(
                    properties,
                    informers,
                    recordWriter,
                    checkpointStore,
                    leadership,
                    collectorScheduler,
                    metrics,
                    clock);
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
    }

    /**
     * @param namespace where the Lease and the checkpoint ConfigMap live
     * @param name      this replica's holder identity in the Lease
     */
    record ReplicaIdentity(String namespace, String name) {}
}
