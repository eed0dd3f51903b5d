package io.sightline.collector.watch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sightline.collector.metrics.CollectorMetrics;
import io.sightline.collector.metrics.CollectorMetrics.DropReason;
import io.sightline.collector.watch.EventNormalizer.InvalidEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8 shared informers on Events: one for all namespaces, or one per configured namespace. Their stores are
 * {@link ReducedStateItemStore}s that keep only the fields {@link KubeEvent} is made of, so tens of thousands of
 * events cost little heap. Re-lists (after {@code 410 Gone} or a failed watch) and list/watch errors are counted.
 */
public final class EventInformers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventInformers.class);

    private static final String[] EVENTS_V1_FIELDS = {
        "metadata.uid",
        "metadata.creationTimestamp",
        "regarding.kind",
        "regarding.name",
        "note",
        "reason",
        "type",
        "series",
        "deprecatedCount",
        "deprecatedFirstTimestamp",
        "deprecatedLastTimestamp",
        "eventTime",
        "reportingController",
        "reportingInstance"
    };
    private static final String[] CORE_V1_FIELDS = {
        "metadata.uid",
        "metadata.creationTimestamp",
        "involvedObject.kind",
        "involvedObject.name",
        "message",
        "reason",
        "type",
        "series",
        "count",
        "firstTimestamp",
        "lastTimestamp",
        "eventTime",
        "reportingComponent",
        "reportingInstance",
        "source.component"
    };

    private final KubernetesClient client;
    private final EventApi api;
    private final List<String> namespaces;
    private final int pageSize;
    private final CollectorMetrics metrics;
    private final Clock clock;
    private final List<Watched<?>> informers = new ArrayList<>();

    public EventInformers(
            KubernetesClient client,
            EventApi api,
            List<String> namespaces,
            int pageSize,
            CollectorMetrics metrics,
            Clock clock) {
        this.client = client;
        this.api = api;
        this.namespaces = List.copyOf(namespaces);
        this.pageSize = pageSize;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Starts listing and watching, telling {@code sink} what it sees; the returned stage completes when every
     * informer has synced.
     */
    public synchronized CompletableFuture<Void> start(EventSink sink) {
        List<String> scopes = namespaces.isEmpty() ? Collections.singletonList(null) : namespaces;
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (String namespace : scopes) {
            KubernetesSerialization serialization = client.getKubernetesSerialization();
            Watched<?> watched =
                    switch (api) {
                        case EVENTS_V1 ->
                            watch(
                                    io.fabric8.kubernetes.api.model.events.v1.Event.class,
                                    namespace,
                                    EventNormalizer::fromEventsV1,
                                    eventsV1Store(serialization),
                                    sink);
                        case CORE_V1 ->
                            watch(
                                    io.fabric8.kubernetes.api.model.Event.class,
                                    namespace,
                                    EventNormalizer::fromCoreV1,
                                    coreV1Store(serialization),
                                    sink);
                    };
            informers.add(watched);
            started.add(watched.informer.start().toCompletableFuture());
        }
        log.info(
                "Watching {} events in {}",
                api == EventApi.EVENTS_V1 ? "events.k8s.io/v1" : "core/v1",
                namespaces.isEmpty() ? "all namespaces" : namespaces);
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    /** The informer store for {@code events.k8s.io/v1}: only the fields a {@link KubeEvent} is made of. */
    public static ReducedStateItemStore<io.fabric8.kubernetes.api.model.events.v1.Event> eventsV1Store(
            KubernetesSerialization serialization) {
        return new ReducedStateItemStore<>(
                ReducedStateItemStore.NAME_KEY_STATE,
                io.fabric8.kubernetes.api.model.events.v1.Event.class,
                serialization,
                EVENTS_V1_FIELDS);
    }

    /** The informer store for {@code core/v1}: only the fields a {@link KubeEvent} is made of. */
    public static ReducedStateItemStore<io.fabric8.kubernetes.api.model.Event> coreV1Store(
            KubernetesSerialization serialization) {
        return new ReducedStateItemStore<>(
                ReducedStateItemStore.NAME_KEY_STATE,
                io.fabric8.kubernetes.api.model.Event.class,
                serialization,
                CORE_V1_FIELDS);
    }

    public synchronized boolean hasSynced() {
        return !informers.isEmpty() && informers.stream().allMatch(w -> w.informer.hasSynced());
    }

    /** Every event currently in the informers' stores (after sync: every event the server holds in scope). */
    public synchronized List<KubeEvent> snapshot() {
        return informers.stream().flatMap(Watched::events).toList();
    }

    @Override
    public synchronized void close() {
        informers.forEach(w -> w.informer.close());
        informers.clear();
    }

    private <T extends HasMetadata> Watched<T> watch(
            Class<T> type,
            String namespace,
            BiFunction<T, Instant, KubeEvent> normalizer,
            ReducedStateItemStore<T> store,
            EventSink sink) {
        var resources = client.resources(type);
        FilterWatchListDeletable<T, ?, Resource<T>> scope =
                namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace);
        // pages keep a re-list of a large cluster from holding every event at once (served by etcd, not the cache)
        SharedIndexInformer<T> informer =
                pageSize > 0 ? scope.withLimit((long) pageSize).runnableInformer(0) : scope.runnableInformer(0);
        Watched<T> watched = new Watched<>(informer, normalizer, sink);
        informer.itemStore(store);
        informer.addEventHandler(watched);
        informer.exceptionHandler((started, failure) -> {
            metrics.watchError();
            log.warn(
                    "Listing/watching {} failed ({}); retrying. If this persists, check the RBAC in "
                            + "event-collector/k8s/ (get/list/watch on events).",
                    type.getSimpleName(),
                    failure.toString());
            return true;
        });
        return watched;
    }

    /** One informer and the translation of its notifications. */
    private final class Watched<T extends HasMetadata> implements ResourceEventHandler<T> {

        private final SharedIndexInformer<T> informer;
        private final BiFunction<T, Instant, KubeEvent> normalizer;
        private final EventSink sink;
        private final AtomicBoolean listedOnce = new AtomicBoolean();

        Watched(SharedIndexInformer<T> informer, BiFunction<T, Instant, KubeEvent> normalizer, EventSink sink) {
            this.informer = informer;
            this.normalizer = normalizer;
            this.sink = sink;
        }

        @Override
        public void onBeforeList(String resourceVersion) {
            if (listedOnce.getAndSet(true)) {
                metrics.relisted();
                log.info("Re-listing events (watch expired or failed); unchanged events are not emitted again");
            }
        }

        @Override
        public void onAdd(T obj) {
            normalize(obj, true).forEach(sink::upsert);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            // the same name with another uid (recreated while the watch was down): the old object is gone
            if (!uid(oldObj).equals(uid(newObj))) {
                normalize(oldObj, false).forEach(sink::deleted);
            }
            normalize(newObj, true).forEach(sink::upsert);
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            normalize(obj, false).forEach(sink::deleted);
        }

        private String uid(T obj) {
            return obj.getMetadata() == null || obj.getMetadata().getUid() == null
                    ? ""
                    : obj.getMetadata().getUid();
        }

        Stream<KubeEvent> events() {
            // invalid events were counted when they arrived
            return informer.getStore().list().stream().flatMap(obj -> normalize(obj, false));
        }

        private Stream<KubeEvent> normalize(T obj, boolean countInvalid) {
            try {
                return Stream.of(normalizer.apply(obj, clock.instant()));
            } catch (InvalidEventException e) {
                if (!countInvalid) {
                    return Stream.empty();
                }
                metrics.dropped(DropReason.INVALID);
                log.warn(
                        "Skipping event {}/{}: {}",
                        obj.getMetadata() == null ? "?" : obj.getMetadata().getNamespace(),
                        obj.getMetadata() == null ? "?" : obj.getMetadata().getName(),
                        e.getMessage());
                return Stream.empty();
            }
        }
    }
}
