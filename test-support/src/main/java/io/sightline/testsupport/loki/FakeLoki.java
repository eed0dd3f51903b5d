package io.sightline.testsupport.loki;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A protocol-exact <b>fake</b> of Loki's push API ({@code POST /loki/api/v1/push}) on 127.0.0.1. It is a fake
 * because no Loki binary can run on these machines (no Docker, no Loki download): it decodes what Loki decodes
 * and answers what Loki answers, with Loki's default limits ({@link LokiLimits}), so a client that passes here
 * speaks Loki's protocol.
 * <ul>
 *   <li>protobuf bodies: {@code Content-Type: application/x-protobuf}, one raw snappy block holding a
 *       {@code logproto.PushRequest} ({@link ProtobufPush}); {@code Content-Encoding: snappy} is refused like Loki
 *       does;</li>
 *   <li>JSON bodies: {@code {"streams":[{"stream":{..},"values":[["<ns>","<line>",{metadata}]]}]}};</li>
 *   <li>204 on success; 400 naming the refused entries (grouped by message, as Loki's distributor does) while
 *       the valid entries of the same push are stored, as Loki does; 400 for an undecodable body; 415 for another content type; 429 (without {@code Retry-After},
 *       as Loki) when the ingestion rate set by {@link #ingestionRateLimit} is exceeded.</li>
 * </ul>
 * Failures of what stands between a client and Loki (a gateway's 503 with {@code Retry-After}, a proxy's 413 over
 * its body limit ({@link Script#bodyLimit}), an authenticating proxy's 401/407, a response body that trickles in
 * ({@link Response#trickle})) are scripted: {@link #answerNext} queues one-off answers, {@link #script} decides for every request, and
 * {@link #stop}/{@link #restart} make connections fail and recover on the same port. {@link #startCounting()}
 * stores nothing and only counts, for benchmarks that must not be slowed down by their receiver.
 * <p>{@code GET /ready} follows Loki's documented readiness endpoint: {@code 200 ready} once Loki can take
 * pushes, {@code 503} ({@code Ingester not ready: ...}) while an ingester is not; {@link #answerReadyWith} scripts
 * it (503, or a gateway's 404 that does not route it). Readiness probes are kept apart from pushes: they are
 * neither in {@link #requests()} nor in {@link #requestCount()} or {@link #firstRequestNanos()} (a benchmark's
 * first batch is its first push), but in {@link #readyRequests()}.
 */
public final class FakeLoki implements AutoCloseable {

    public static final String PUSH_PATH = "/loki/api/v1/push";

    /** Loki's readiness endpoint. */
    public static final String READY_PATH = "/ready";

    /** Loki's answer when it can take pushes. */
    public static final Response READY = Response.status(200).withBody("ready\n");

    /** Loki's answer while an ingester is not ready. */
    public static final Response INGESTER_NOT_READY =
            Response.status(503).withBody("Ingester not ready: waiting for 15s after being ready\n");

    private enum Mode {
        /** Decode, validate and store like Loki. */
        STORE,
        /** Count requests, bytes and (cheaply) entries; answer 204 without storing. */
        COUNT
    }

    /** The counting fake's answer to a push it counts (not a queued or scripted 204: those are not counted). */
    private static final Response COUNTED = Response.status(204);

    private final Mode mode;
    private final SSLContext tls;
    private final Object lock = new Object();
    private final Deque<Response> nextAnswers = new ArrayDeque<>();
    private final StreamValidator validator = new StreamValidator(LokiLimits.DEFAULTS);
    private final List<Entry> entries = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private final AtomicLong requestCount = new AtomicLong();
    private final AtomicLong bodyBytes = new AtomicLong();
    private final AtomicLong countedEntries = new AtomicLong();
    private volatile long firstRequestNanos;
    private volatile Script script = Script.LIKE_LOKI;
    private volatile Response readiness = READY;
    private final List<Request> readyRequests = new ArrayList<>();
    private IngestionRate rate = IngestionRate.unlimited();
    private HttpServer server;
    private ExecutorService executor;
    private int port;

    private FakeLoki(Mode mode, SSLContext tls) {
        this.mode = mode;
        this.tls = tls;
    }

    /** Loki over plain HTTP on an ephemeral port. */
    public static FakeLoki start() throws IOException {
        return new FakeLoki(Mode.STORE, null).listen(0);
    }

    /** Loki over HTTPS with this server context on an ephemeral port. */
    public static FakeLoki startTls(SSLContext tls) throws IOException {
        return new FakeLoki(Mode.STORE, tls).listen(0);
    }

    /**
     * A push endpoint that only counts ({@link #requestCount}, {@link #bodyBytes}, {@link #countedEntries}) and
     * stores nothing: a push costs reading its body and, once answered, one scan of it (a protobuf body is decompressed
     * first and its fields walked), so the sender is what is measured.
     */
    public static FakeLoki startCounting() throws IOException {
        return new FakeLoki(Mode.COUNT, null).listen(0);
    }

    public URI url() {
        return URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Stops listening, so connections are refused; what was received is kept. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** Listens again on the same port after {@link #stop}, keeping what was received. */
    public synchronized void restart() throws IOException {
        stop();
        listen(port);
    }

    @Override
    public void close() {
        stop();
    }

    // --- scripting -------------------------------------------------------------------------------------------

    /** The next request is answered with this, whatever it carries; several calls queue up in order. */
    public void answerNext(Response response) {
        synchronized (lock) {
            nextAnswers.add(response);
        }
    }

    /** Every request (after the queued {@link #answerNext} ones) is answered by {@code script} from now on. */
    public void script(Script script) {
        this.script = script;
    }

    /** Every request is answered with this from now on, e.g. a gateway's 503 during an outage. */
    public void answerEveryRequest(Response response) {
        script(push -> response);
    }

    /** Back to Loki's own answers. */
    public void answerLikeLoki() {
        script(Script.LIKE_LOKI);
    }

    /** Loki's per-tenant {@code ingestion_rate_mb} (here in bytes of lines per second); unlimited by default. */
    public void ingestionRateLimit(long bytesPerSecond) {
        synchronized (lock) {
            rate = new IngestionRate(bytesPerSecond);
        }
    }

    // --- what arrived ------------------------------------------------------------------------------------------

    /** The stored entries, in the order they were stored. */
    public List<Entry> entries() {
        synchronized (lock) {
            return List.copyOf(entries);
        }
    }

    public int entryCount() {
        synchronized (lock) {
            return entries.size();
        }
    }

    /** How often each line was stored: duplicates show as counts above 1. */
    public Map<String, Integer> lineCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (Entry entry : entries()) {
            counts.merge(entry.line(), 1, Integer::sum);
        }
        return counts;
    }

    /** Every request answered, in the order they were answered. */
    public List<Request> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    public long requestCount() {
        return requestCount.get();
    }

    public long bodyBytes() {
        return bodyBytes.get();
    }

    /** When the first request arrived ({@link System#nanoTime()}), 0 before. */
    public long firstRequestNanos() {
        return firstRequestNanos;
    }

    /**
     * Entries of JSON and protobuf pushes answered 2xx, counted without building them; only counted by
     * {@link #startCounting()}.
     */
    public long countedEntries() {
        return countedEntries.get();
    }

    // --- serving -----------------------------------------------------------------------------------------------

    private FakeLoki listen(int wantedPort) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort);
        HttpServer created;
        if (tls == null) {
            created = HttpServer.create(address, 64);
        } else {
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            created = https;
        }
        created.createContext("/", this::handle);
        // daemon threads: a benchmark run by exec:java must not wait for them to end
        executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "fake-loki");
            thread.setDaemon(true);
            return thread;
        });
        created.setExecutor(executor);
        created.start();
        server = created;
        port = created.getAddress().getPort();
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (isReadyProbe(exchange)) {
            answerReady(exchange);
            return;
        }
        Push push;
        Response response;
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (requestCount.getAndIncrement() == 0) {
                firstRequestNanos = System.nanoTime();
            }
            bodyBytes.addAndGet(body.length);
            push = new Push(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    Headers.of(exchange.getRequestHeaders()),
                    body);
            response = answer(push);
            synchronized (lock) {
                requests.add(Request.answered(push, response.status()));
            }
            response.send(exchange);
        }
        if (response == COUNTED) {
            countEntries(push);
        }
    }

    // --- readiness (GET /ready) ---------------------------------------------------------------------------------

    /** {@code GET /ready} is answered with this from now on (e.g. {@link #INGESTER_NOT_READY}, a gateway's 404). */
    public void answerReadyWith(Response response) {
        readiness = response;
    }

    /** Every {@code GET /ready} answered, in order (not counted as pushes). */
    public List<Request> readyRequests() {
        synchronized (lock) {
            return List.copyOf(readyRequests);
        }
    }

    private static boolean isReadyProbe(HttpExchange exchange) {
        return READY_PATH.equals(exchange.getRequestURI().getPath()) && "GET".equals(exchange.getRequestMethod());
    }

    private void answerReady(HttpExchange exchange) throws IOException {
        try (exchange) {
            Push probe = new Push(
                    exchange.getRequestMethod(), READY_PATH, Headers.of(exchange.getRequestHeaders()), new byte[0]);
            Response response = readiness;
            synchronized (lock) {
                readyRequests.add(Request.answered(probe, response.status()));
            }
            response.send(exchange);
        }
    }

    private Response answer(Push push) {
        Response queued;
        synchronized (lock) {
            queued = nextAnswers.poll();
        }
        if (queued != null) {
            return queued;
        }
        Response scripted = script.answer(push);
        if (scripted != null) {
            return scripted;
        }
        if (!PUSH_PATH.equals(push.path())) {
            return Response.status(404).withBody("404 page not found");
        }
        if (!"POST".equals(push.method())) {
            return Response.status(405).withBody("method not allowed");
        }
        return mode == Mode.COUNT ? COUNTED : store(push);
    }

    /**
     * Counted once answered, so the count is not on the client's path (a benchmark's client waits for each answer,
     * and the receiver's counting code is cold in a fresh harness). A body that is no push counts no entry: nothing is
     * validated, as the JSON scan validates nothing.
     */
    private void countEntries(Push push) {
        String contentType = String.valueOf(push.header("Content-Type"));
        try {
            if (contentType.startsWith("application/x-protobuf")) {
                countedEntries.addAndGet(ProtobufPush.countEntries(push.body()));
            } else if (contentType.contains("json")) {
                countedEntries.addAndGet(JsonPush.countEntriesCheaply(push.body()));
            }
        } catch (IOException | RuntimeException e) {
            // not a PushRequest: no entry
        }
    }

    private Response store(Push push) {
        String contentEncoding = push.header("Content-Encoding");
        String contentType = String.valueOf(push.header("Content-Type"));
        List<Entry> pushed;
        try {
            if (contentEncoding != null && !contentEncoding.isEmpty()) {
                return Response.status(400).withBody("Content-Encoding \"" + contentEncoding + "\" not supported");
            } else if (contentType.startsWith("application/json")) {
                pushed = JsonPush.decode(push.body());
            } else if (contentType.startsWith("application/x-protobuf")) {
                pushed = ProtobufPush.decode(push.body());
            } else {
                return Response.status(415).withBody("unsupported Content-Type " + contentType);
            }
        } catch (IOException | RuntimeException e) {
            return Response.status(400).withBody("loghttp.PushRequest could not be decoded: " + e.getMessage());
        }
        synchronized (lock) {
            return storeValid(pushed);
        }
    }

    private Response storeValid(List<Entry> pushed) {
        long lineBytes = 0;
        for (Entry entry : pushed) {
            lineBytes += entry.line().getBytes(StandardCharsets.UTF_8).length;
        }
        if (!rate.admit(lineBytes)) {
            return Response.status(429)
                    .withBody("Ingestion rate limit exceeded (limit: " + rate.bytesPerSecond()
                            + " bytes/sec) while attempting to ingest '" + pushed.size() + "' lines totaling '"
                            + lineBytes + "' bytes, reduce log volume or contact your Loki administrator to see if"
                            + " the limit can be increased");
        }
        List<String> refusals = new ArrayList<>();
        for (Entry entry : pushed) {
            String refusal = validator.refusal(entry);
            if (refusal == null) {
                entries.add(entry);
            } else {
                refusals.add(refusal);
            }
        }
        if (refusals.isEmpty()) {
            return Response.status(204);
        }
        return Response.status(400).withBody(groupedLikeLoki(refusals));
    }

    /**
     * Loki's distributor collects one error per refused entry and answers them grouped by message
     * ({@code GroupedErrors} in Loki's pkg/util/errors): the message alone when it is the only one,
     * otherwise {@code N errors like: <message>} per distinct message, joined by {@code "; "}.
     */
    static String groupedLikeLoki(List<String> refusals) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        refusals.forEach(refusal -> counts.merge(refusal, 1, Integer::sum));
        StringBuilder text = new StringBuilder();
        counts.forEach((message, count) -> {
            if (text.length() > 0) {
                text.append("; ");
            }
            if (counts.size() > 1 || count > 1) {
                text.append(count).append(" errors like: ");
            }
            text.append(message);
        });
        return text.toString();
    }
}
