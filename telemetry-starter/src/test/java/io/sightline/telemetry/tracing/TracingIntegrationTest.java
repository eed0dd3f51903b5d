package io.sightline.telemetry.tracing;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.sightline.telemetry.support.LocalHttpReceiver;
import io.sightline.telemetry.support.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Trace context reaches the log MDC on the request thread, in {@code @Async} methods and in tasks
 * given to Boot's executor; sampled spans are exported over OTLP/HTTP to a real HTTP server on
 * 127.0.0.1, whose protobuf payload is decoded and checked for the resource attributes.
 */
class TracingIntegrationTest {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    private static LocalHttpReceiver collector;

    private static RunningApp app;

    @BeforeAll
    static void start() throws IOException {
        collector = new LocalHttpReceiver();
        app = RunningApp.start(
                App.class,
                WebApplicationType.SERVLET,
                "sightline.tracing.otlp.endpoint=" + collector.baseUrl() + "/v1/traces",
                "management.opentelemetry.tracing.export.schedule-delay=100ms",
                "POD_NAMESPACE=shop",
                "POD_NAME=orders-7d9f8-x2x",
                "NODE_NAME=node-1");
    }

    @AfterAll
    static void stop() {
        app.close();
        collector.close();
    }

    @Test
    void requestThreadHasTheTraceInItsMdc() {
        assertThat(app.get("/mdc", "traceparent", RunningApp.traceparent(TRACE_ID))
                        .body())
                .isEqualTo(TRACE_ID + " " + TRACE_ID);
    }

    /**
     * The application has its own {@code TaskDecorator}: Boot composes it with the starter's, so tasks are
     * decorated by both. Before, the starter stepped back for any decorator and the trace was lost.
     */
    @Test
    void asyncMethodsAndExecutorTasksCarryTheCallersTraceBesideTheApplicationsDecorator() {
        assertThat(app.get("/async", "traceparent", RunningApp.traceparent(TRACE_ID))
                        .body())
                .isEqualTo(TRACE_ID + " on another thread, decorated by the application");
        assertThat(app.get("/executor", "traceparent", RunningApp.traceparent(TRACE_ID))
                        .body())
                .isEqualTo(TRACE_ID + " on another thread, decorated by the application");
    }

    @Test
    void newTracesGetAFreshIdOfTheContractFormat() {
        String[] ids = app.get("/mdc").body().split(" ");
        assertThat(ids[0]).matches("[0-9a-f]{32}").isEqualTo(ids[1]).isNotEqualTo(TRACE_ID);
    }

    @Test
    void sampledSpansAreExportedOverOtlpWithTheResourceAttributes() throws InvalidProtocolBufferException {
        app.get("/mdc", "traceparent", RunningApp.traceparent(TRACE_ID));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(exportedSpans()).containsKey(TRACE_ID));
        ResourceSpans resourceSpans = exportedSpans().get(TRACE_ID);
        Map<String, String> resource = new HashMap<>();
        for (KeyValue attribute : resourceSpans.getResource().getAttributesList()) {
            resource.put(attribute.getKey(), attribute.getValue().getStringValue());
        }
        assertThat(resource)
                .containsEntry("service.name", "starter-test")
                .containsEntry("service.version", RunningApp.BUILD_VERSION)
                .containsEntry("k8s.namespace.name", "shop")
                .containsEntry("k8s.pod.name", "orders-7d9f8-x2x")
                .containsEntry("k8s.node.name", "node-1");
        assertThat(collector.received()).allSatisfy((request) -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/v1/traces");
            assertThat(request.contentType()).isEqualTo("application/x-protobuf");
        });
    }

    /** Decoded OTLP exports, by the (hex) trace id of the spans they contain. */
    private static Map<String, ResourceSpans> exportedSpans() throws InvalidProtocolBufferException {
        Map<String, ResourceSpans> byTrace = new HashMap<>();
        for (LocalHttpReceiver.Received request : collector.received()) {
            for (ResourceSpans resourceSpans :
                    ExportTraceServiceRequest.parseFrom(request.body()).getResourceSpansList()) {
                resourceSpans.getScopeSpansList().stream()
                        .flatMap((scope) -> scope.getSpansList().stream())
                        .map(Span::getTraceId)
                        .forEach((id) ->
                                byTrace.put(java.util.HexFormat.of().formatHex(id.toByteArray()), resourceSpans));
            }
        }
        return byTrace;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableAsync
    @Import({Endpoints.class, AsyncWork.class})
    static class App {

        /** The application's own decorator, as a service that copies a tenant id onto worker threads would have. */
        @Bean
        TaskDecorator applicationDecorator() {
            return task -> () -> {
                DECORATED_BY.set("the application");
                try {
                    task.run();
                } finally {
                    DECORATED_BY.remove();
                }
            };
        }
    }

    static final ThreadLocal<String> DECORATED_BY = new ThreadLocal<>();

    @Service
    static class AsyncWork {

        @Async
        public Future<String> traceIdSeenAsynchronously(Thread caller) {
            return CompletableFuture.completedFuture(traceIdOn(caller));
        }
    }

    static String traceIdOn(Thread caller) {
        return MDC.get("traceId")
                + ((Thread.currentThread() != caller) ? " on another thread" : " on the caller")
                + ((DECORATED_BY.get() != null) ? ", decorated by " + DECORATED_BY.get() : "");
    }

    @RestController
    static class Endpoints {

        private final Tracer tracer;

        private final AsyncWork async;

        private final AsyncTaskExecutor executor;

        Endpoints(Tracer tracer, AsyncWork async, AsyncTaskExecutor executor) {
            this.tracer = tracer;
            this.async = async;
            this.executor = executor;
        }

        @GetMapping("/mdc")
        String mdc() {
            return MDC.get("traceId") + " "
                    + this.tracer.currentSpan().context().traceId();
        }

        @GetMapping("/async")
        String async() throws Exception {
            return this.async.traceIdSeenAsynchronously(Thread.currentThread()).get();
        }

        @GetMapping("/executor")
        String executor() throws Exception {
            Thread caller = Thread.currentThread();
            return this.executor.submit(() -> traceIdOn(caller)).get();
        }
    }
}
