package io.sightline.benchmarks.collector;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * A stand-in API server for the relist measurement, in a process of its own so that its memory is not counted:
 * fabric8's mock server whose event list is served as the API server does, in pages ({@code limit} and
 * {@code continue}) or, without a limit, in one response; watches, Leases and ConfigMaps go to its CRUD store.
 * Usage: {@code RelistServer <events> <port-file>} (writes the port when it listens).
 */
public final class RelistServer {

    private RelistServer() {}

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<Event> generated = EventCollectorBenchmark.events(count);
        String[] items = generated.stream().map(serialization::asJson).toArray(String[]::new);
        generated = null;
        KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
        Dispatcher dispatcher = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getPath();
                if (request.getMethod().equals("GET")
                        && path.startsWith("/api/v1/events")
                        && !path.contains("watch=true")) {
                    return page(items, query(path));
                }
                return crud.dispatch(request);
            }
        };
        KubernetesMockServer server =
                new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        Files.writeString(Path.of(args[1]), Integer.toString(server.getPort()));
        Thread.currentThread().join(); // serves until the harness ends the process
    }

    private static MockResponse page(String[] items, Map<String, String> query) {
        int from = Integer.parseInt(query.getOrDefault("continue", "0"));
        int limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : items.length;
        int to = Math.min(items.length, from + limit);
        StringBuilder body = new StringBuilder(64 + (to - from) * 700);
        body.append("{\"apiVersion\":\"v1\",\"kind\":\"EventList\",\"metadata\":{\"resourceVersion\":\"5\"");
        if (to < items.length) {
            body.append(",\"continue\":\"").append(to).append('"');
        }
        body.append("},\"items\":[");
        for (int i = from; i < to; i++) {
            if (i > from) {
                body.append(',');
            }
            body.append(items[i]);
        }
        body.append("]}");
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    private static Map<String, String> query(String path) {
        Map<String, String> query = new HashMap<>();
        String raw = URI.create(path).getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return query;
    }
}
