package io.sightline.collector.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.sightline.collector.checkpoint.ConfigMapCheckpointStore;
import io.sightline.collector.config.CollectorProperties;
import io.sightline.collector.leader.Leadership;
import io.sightline.collector.metrics.CollectorMetrics;
import io.sightline.collector.occurrence.Occurrences;
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
            if (!c.isSynced()) {
                return Health.outOfService()
                        .withDetail("reason", "informers have not synced yet")
                        .build();
            }
            return c.takeoverProblem()
                    .map(problem ->
                            Health.outOfService().withDetail("reason", problem).build())
                    .orElseGet(() ->
                            Health.up().withDetail("leader", c.isLeading()).build());
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
        CollectorMetrics collectorMetrics(MeterRegistry registry, CollectorProperties properties, Clock clock) {
            return new CollectorMetrics(registry, properties.metrics(), clock);
        }

        @Bean(destroyMethod = "close")
        EventInformers informers(
                KubernetesClient client, CollectorProperties properties, CollectorMetrics metrics, Clock clock) {
            return new EventInformers(
                    client,
                    EventApi.resolve(properties.apiChoice(), client),
                    properties.namespaces(),
                    properties.listPageSize(),
                    metrics,
                    clock);
        }

        /**
         * The rules and their state. Inheriting from a checkpoint keeps the same margin for clock skew between
         * nodes as the Lease does: lease-duration minus renew-deadline.
         */
        @Bean
        Occurrences occurrences(CollectorProperties properties, CollectorMetrics metrics) {
            var lease = properties.leaderElection();
            return new Occurrences(
                    properties,
                    lease.leaseDuration().minus(lease.renewDeadline()),
                    ConfigMapCheckpointStore.MAX_BYTES,
                    metrics);
        }

        @Bean(destroyMethod = "close")
        RecordWriter recordWriter(CollectorProperties properties, CollectorMetrics metrics) {
            var output = properties.output();
            return new RecordWriter(
                    output.path(), output.queueCapacity(), output.maxFileSize().toBytes(), output.maxFiles(), metrics);
        }

        /**
         * Checkpoint reads and writes time out within the renew deadline and are not retried by the client: the
         * collector retries every interval itself, and a write stuck in retries would hold up the takeover.
         */
        @Bean
        ConfigMapCheckpointStore checkpointStore(
                KubernetesClient client, CollectorProperties properties, ReplicaIdentity self) {
            return new ConfigMapCheckpointStore(
                    bounded(client, properties.leaderElection().renewDeadline()),
                    self.namespace(),
                    properties.checkpoint().configMapName());
        }

        /** One thread for the work that waits for the API (checkpoint reads and writes), off the client's threads. */
        @Bean(destroyMethod = "shutdownNow")
        ScheduledExecutorService collectorWorker() {
            return Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "event-collector-checkpoint");
                t.setDaemon(true);
                return t;
            });
        }

        /**
         * Lease requests time out within the renew deadline and are not retried: the elector tries again every
         * retry period anyway, and emission ends at the renew deadline whatever a request does.
         */
        @Bean(destroyMethod = "close")
        Leadership leadership(KubernetesClient client, CollectorProperties properties, ReplicaIdentity self) {
            return new Leadership(
                    bounded(client, properties.leaderElection().renewDeadline()),
                    properties.leaderElection(),
                    self.namespace(),
                    self.name());
        }

        @Bean
        EventCollector eventCollector(
                CollectorProperties properties,
                Occurrences occurrences,
                EventInformers informers,
                RecordWriter recordWriter,
                ConfigMapCheckpointStore checkpointStore,
                Leadership leadership,
                ScheduledExecutorService collectorWorker,
                CollectorMetrics metrics,
                Clock clock) {
            return new EventCollector(
                    properties,
                    occurrences,
                    informers,
                    recordWriter,
                    checkpointStore,
                    leadership,
                    collectorWorker,
                    metrics,
                    clock);
        }

        /** The same connection, with requests that give up after {@code timeout} and are not retried. */
        private static KubernetesClient bounded(KubernetesClient client, Duration timeout) {
            return client.newClient(new RequestConfigBuilder()
                            .withRequestTimeout((int) timeout.toMillis())
                            .withRequestRetryBackoffLimit(0)
                            .build())
                    .adapt(KubernetesClient.class);
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
