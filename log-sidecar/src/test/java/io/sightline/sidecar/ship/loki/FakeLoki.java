package io.sightline.sidecar.ship.loki;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.sightline.sidecar.ship.loki.logproto.EntryAdapter;
import io.sightline.sidecar.ship.loki.logproto.LabelPairAdapter;
import io.sightline.sidecar.ship.loki.logproto.PushRequest;
import io.sightline.sidecar.ship.loki.logproto.StreamAdapter;
import org.xerial.snappy.Snappy;

/**
 * A protocol-exact <b>fake</b> of Loki's push endpoint ({@code POST /loki/api/v1/push}) on 127.0.0.1.
 * It is a fake because no Loki binary can run on these machines (no Docker, no Loki download); it
 * decodes exactly what Loki decodes and enforces Loki's documented validation rules with Loki's
 * default limits, so a sink that passes here speaks Loki's protocol:
 * <ul>
 *   <li>protobuf bodies: {@code Content-Type: application/x-protobuf}, one raw snappy block, decoded with
 *       the same generated {@code logproto} classes; {@code Content-Encoding: snappy} is refused like Loki does;</li>
 *   <li>JSON bodies: {@code {"streams":[{"stream":{..},"values":[["<ns>","<line>",{metadata}]]}]}};</li>
 *   <li>label names match {@code [a-zA-Z_][a-zA-Z0-9_]*}, at least one and at most 15 labels
 *       ({@code max_label_names_per_series}), no duplicate names;</li>
 *   <li>lines at most 256 KiB ({@code max_line_size});</li>
 *   <li>out-of-order entries within the window are accepted (Loki 3, {@code unordered_writes}); an entry older
 *       than the stream's newest accepted entry minus the window (1 h) is refused;</li>
 *   <li>structured metadata accepted;</li>
 *   <li>204 on success; 400 with a message naming the problem (valid entries of the push are kept, as Loki does);
 *       429 when the configured ingestion rate (bytes of lines per second) is exceeded.</li>
 * </ul>
 * Tests can also queue canned answers (e.g. a gateway's 503 with {@code Retry-After}).
 */
final class FakeLoki implements AutoCloseable {

    static final int MAX_LINE_BYTES = 256 * 1024;
    static final int MAX_LABELS = 15;
    static final Duration OUT_OF_ORDER_WINDOW = Duration.ofHours(1);
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One stored entry, with the stream labels it was pushed under. */
    record Entry(Map<String, String> labels, long timestampNanos, String line, Map<String, String> metadata) {}

    /** What one request carried, stored or not. */
    record Request(Map<String, List<String>> headers, int status) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }
    }

    private record Canned(int status, Map<String, String> headers, String body) {}

    private final HttpServer server;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Canned> canned = new ArrayDeque<>();
    private final Map<Map<String, String>, Long> newestPerStream = new HashMap<>();
    private long ingestionRateBytesPerSecond = Long.MAX_VALUE;
    private long windowStartNanos = System.nanoTime();
    private long bytesInWindow;

    private FakeLoki(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeLoki start() throws IOException {
        return new FakeLoki(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    static FakeLoki startTls(SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new FakeLoki(server);
    }

    URI url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    synchronized void ingestionRateLimit(long bytesPerSecond) {
        this.ingestionRateBytesPerSecond = bytesPerSecond;
        this.windowStartNanos = System.nanoTime();
        this.bytesInWindow = 0;
    }

    /** The next request is answered with this, whatever it carries (a proxy or an overloaded distributor). */
    synchronized void answerNext(int status, Map<String, String> headers, String body) {
        canned.add(new Canned(status, headers, body));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Answer answer = answer(exchange, body);
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            requests.add(new Request(headers, answer.status));
            answer.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] message = answer.body.getBytes(StandardCharsets.UTF_8);
            if (message.length == 0) {
                exchange.sendResponseHeaders(answer.status, -1);
            } else {
                exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(answer.status, message.length);
                exchange.getResponseBody().write(message);
            }
        }
    }

    private record Answer(int status, Map<String, String> headers, String body) {
        static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body);
        }
    }

    private synchronized Answer answer(HttpExchange exchange, byte[] body) {
        Canned next = canned.poll();
        if (next != null) {
            return new Answer(next.status, next.headers, next.body);
        }
        if (!"/loki/api/v1/push".equals(exchange.getRequestURI().getPath())) {
            return Answer.of(404, "404 page not found");
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            return Answer.of(405, "method not allowed");
        }
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        String contentEncoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        List<Entry> pushed;
        try {
            if (contentEncoding != null && !contentEncoding.isEmpty()) {
                return Answer.of(400, "Content-Encoding \"" + contentEncoding + "\" not supported");
            } else if (contentType.startsWith("application/json")) {
                pushed = decodeJson(body);
            } else if (contentType.startsWith("application/x-protobuf")) {
                pushed = decodeProtobuf(Snappy.uncompress(body));
            } else {
                return Answer.of(415, "unsupported Content-Type " + contentType);
            }
        } catch (IOException | RuntimeException e) {
            return Answer.of(400, "loghttp.PushRequest could not be decoded: " + e.getMessage());
        }

        long lineBytes = 0;
        for (Entry entry : pushed) {
            lineBytes += entry.line().getBytes(StandardCharsets.UTF_8).length;
        }
        if (!withinRate(lineBytes)) {
            return Answer.of(
                    429,
                    "Ingestion rate limit exceeded (limit: " + ingestionRateBytesPerSecond
                            + " bytes/sec) while attempting to ingest '" + pushed.size() + "' lines totaling '"
                            + lineBytes
                            + "' bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased");
        }

        List<String> errors = new ArrayList<>();
        for (Entry entry : pushed) {
            String problem = validate(entry);
            if (problem != null) {
                errors.add(problem);
                continue;
            }
            newestPerStream.merge(entry.labels(), entry.timestampNanos(), Math::max);
            entries.add(entry);
        }
        if (!errors.isEmpty()) {
            return Answer.of(
                    400,
                    String.join("\n", errors.subList(0, Math.min(errors.size(), 10)))
                            + (errors.size() > 10 ? "\n... and " + (errors.size() - 10) + " more errors" : ""));
        }
        return Answer.of(204, "");
    }

    private String validate(Entry entry) {
        Map<String, String> labels = entry.labels();
        if (labels.isEmpty()) {
            return "error at least one label pair is required per stream";
        }
        if (labels.size() > MAX_LABELS) {
            return "stream '" + labels + "' has " + labels.size() + " label names; limit " + MAX_LABELS;
        }
        for (String name : labels.keySet()) {
            if (!LABEL_NAME.matcher(name).matches()) {
                return "error parsing labels " + labels + ": invalid label name '" + name + "'";
            }
        }
        int size = entry.line().getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_LINE_BYTES) {
            return "Max entry size '" + MAX_LINE_BYTES + "' bytes exceeded for stream '" + labels
                    + "' while adding an entry with length '" + size + "' bytes";
        }
        Long newest = newestPerStream.get(labels);
        if (newest != null && entry.timestampNanos() < newest - OUT_OF_ORDER_WINDOW.toNanos()) {
            return "entry for stream '" + labels + "' has timestamp too old: " + entry.timestampNanos()
                    + ", oldest acceptable timestamp is: " + (newest - OUT_OF_ORDER_WINDOW.toNanos());
        }
        return null;
    }

    private boolean withinRate(long bytes) {
        long now = System.nanoTime();
        if (now - windowStartNanos >= 1_000_000_000L) {
            windowStartNanos = now;
            bytesInWindow = 0;
        }
        if (bytesInWindow + bytes > ingestionRateBytesPerSecond) {
            return false;
        }
        bytesInWindow += bytes;
        return true;
    }

    private static List<Entry> decodeProtobuf(byte[] message) throws IOException {
        List<Entry> result = new ArrayList<>();
        for (StreamAdapter stream : PushRequest.parseFrom(message).getStreamsList()) {
            Map<String, String> labels = parseSelector(stream.getLabels());
            for (EntryAdapter entry : stream.getEntriesList()) {
                Map<String, String> metadata = new LinkedHashMap<>();
                for (LabelPairAdapter pair : entry.getStructuredMetadataList()) {
                    metadata.put(pair.getName(), pair.getValue());
                }
                long nanos = entry.getTimestamp().getSeconds() * 1_000_000_000L
                        + entry.getTimestamp().getNanos();
                result.add(new Entry(labels, nanos, entry.getLine(), Collections.unmodifiableMap(metadata)));
            }
        }
        return result;
    }

    private static List<Entry> decodeJson(byte[] body) throws IOException {
        List<Entry> result = new ArrayList<>();
        JsonNode root = JSON.readTree(body);
        for (JsonNode stream : root.required("streams")) {
            Map<String, String> labels = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            stream.required("stream").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> label = it.next();
                labels.put(label.getKey(), label.getValue().textValue());
            }
            for (JsonNode value : stream.required("values")) {
                if (value.size() < 2 || value.size() > 3) {
                    throw new IllegalArgumentException("a value is [\"<ns>\", \"<line>\"(, {metadata})], got " + value);
                }
                Map<String, String> metadata = new LinkedHashMap<>();
                if (value.size() == 3) {
                    value.get(2)
                            .fields()
                            .forEachRemaining(
                                    m -> metadata.put(m.getKey(), m.getValue().textValue()));
                }
                result.add(new Entry(
                        Collections.unmodifiableMap(labels),
                        Long.parseLong(value.get(0).textValue()),
                        value.get(1).textValue(),
                        Collections.unmodifiableMap(metadata)));
            }
        }
        return result;
    }

    /** Parses {@code {a="b", c="d\"e"}} the way Loki's label parser does (Go string escapes). */
    static Map<String, String> parseSelector(String selector) {
        Map<String, String> labels = new TreeMap<>();
        int i = 0;
        int n = selector.length();
        if (n < 2 || selector.charAt(0) != '{' || selector.charAt(n - 1) != '}') {
            throw new IllegalArgumentException("labels must be a selector like {a=\"b\"}: " + selector);
        }
        i = 1;
        while (i < n - 1) {
            while (selector.charAt(i) == ' ' || selector.charAt(i) == ',') {
                i++;
            }
            int eq = selector.indexOf('=', i);
            String name = selector.substring(i, eq).strip();
            if (selector.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("label value must be quoted: " + selector);
            }
            StringBuilder value = new StringBuilder();
            i = eq + 2;
            while (selector.charAt(i) != '"') {
                char c = selector.charAt(i++);
                if (c == '\\') {
                    char escaped = selector.charAt(i++);
                    value.append(
                            switch (escaped) {
                                case 'n' -> '\n';
                                case '"', '\\' -> escaped;
                                default -> throw new IllegalArgumentException("unknown escape \\" + escaped);
                            });
                } else {
                    value.append(c);
                }
            }
            i++;
            if (labels.put(name, value.toString()) != null) {
                throw new IllegalArgumentException("duplicate label name " + name);
            }
            while (i < n - 1 && (selector.charAt(i) == ' ' || selector.charAt(i) == ',')) {
                i++;
            }
        }
        return Collections.unmodifiableMap(labels);
    }
}
