package io.sightline.sidecar.ship.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.sightline.sidecar.config.MapSettings;
import io.sightline.sidecar.config.SettingsTable;
import io.sightline.testsupport.tool.JavaCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link HttpSender} against the JDK's own HTTP server on 127.0.0.1 (a real server, ephemeral port). */
class HttpSenderTest {

    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private ServerSocket rawListener;
    private ExecutorService serverThreads;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
        if (rawListener != null) {
            try {
                rawListener.close();
            } catch (IOException ignored) {
                // closing a listener that is done
            }
        }
        if (serverThreads != null) {
            serverThreads.shutdownNow();
        }
    }

    @Test
    void answersAreReturnedWithStatusHeadersAndBody() throws Exception {
        URI uri = serve(exchange -> answer(exchange, 201, "stored"));
        HttpSender.Response response = sender(Duration.ofSeconds(30))
                .post(uri, "text/plain", "x".getBytes(StandardCharsets.UTF_8), Map.of("X-Scope-OrgID", "shop"), 1024);
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("Content-Type")).isEqualTo("text/plain");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("stored");
        assertThat(response.complete()).isTrue();
    }

    @Test
    void theBodyIsReadOnlyUpToTheBound() throws Exception {
        URI uri = serve(exchange -> answer(exchange, 400, "e".repeat(100_000)));
        HttpSender.Response response =
                sender(Duration.ofSeconds(30)).post(uri, "text/plain", new byte[1], Map.of(), 1000);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).hasSize(1000);
        assertThat(response.complete()).isFalse();
    }

    @Test
    void aServerThatNeverAnswersEndsInATimeout() throws Exception {
        URI uri = serve(exchange -> awaitRelease());
        long start = System.nanoTime();
        assertThatThrownBy(() -> sender(Duration.ofSeconds(1)).post(uri, "text/plain", new byte[1], Map.of(), 1000))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    /**
     * The headers come at once, then one byte every 50 ms for 100 s: the JDK's own request timeout has ended with the
     * headers, so only the sender's deadline for the whole exchange stops this.
     */
    @Test
    void aTricklingBodyCannotHoldTheSenderLongerThanTheTimeout() throws Exception {
        URI uri = serve(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 2000 && release.getCount() > 0; i++) {
                    out.write('x');
                    out.flush();
                    release.await(50, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long start = System.nanoTime();
        assertThatThrownBy(
                        () -> sender(Duration.ofSeconds(1)).post(uri, "text/plain", new byte[1], Map.of(), 1_000_000))
                .isInstanceOf(HttpTimeoutException.class)
                .hasMessageContaining(uri.toString());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    /**
     * The status line comes at once, then one byte of a header every 50 ms for 100 s: no single read waits long, so
     * only the deadline for the whole exchange stops this.
     */
    @Test
    void tricklingHeadersCannotHoldTheSenderLongerThanTheTimeout() throws Exception {
        URI uri = serveRaw(socket -> {
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 2000 && release.getCount() > 0; i++) {
                out.write('a');
                out.flush();
                release.await(50, TimeUnit.MILLISECONDS);
            }
        });
        long start = System.nanoTime();
        assertThatThrownBy(() -> sender(Duration.ofSeconds(1)).post(uri, "text/plain", new byte[1], Map.of(), 1000))
                .isInstanceOf(HttpTimeoutException.class)
                .hasMessageContaining(uri.toString())
                .hasMessageContaining("PT1S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    /** A redirect is an answer like any other: where a push goes is configured, never told by the server. */
    @Test
    void aRedirectIsReturnedNotFollowed() throws Exception {
        AtomicInteger redirected = new AtomicInteger();
        URI uri = serve(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/elsewhere")) {
                redirected.incrementAndGet();
                answer(exchange, 204, "");
            } else {
                exchange.getResponseHeaders().set("Location", "/elsewhere");
                answer(exchange, 307, "moved");
            }
        });
        HttpSender.Response response =
                sender(Duration.ofSeconds(30)).post(uri, "text/plain", new byte[1], Map.of(), 1000);
        assertThat(response.status()).isEqualTo(307);
        assertThat(response.header("location")).isEqualTo("/elsewhere");
        assertThat(redirected).hasValue(0);
    }

    /** A 401 comes back as a status with the server's message, for the sink to hold the batch and say why. */
    @Test
    void aRefusalIsReturnedWithItsBody() throws Exception {
        URI uri = serve(exchange -> {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"loki\"");
            answer(exchange, 401, "no org id");
        });
        HttpSender.Response response =
                sender(Duration.ofSeconds(30)).post(uri, "text/plain", new byte[1], Map.of(), 1000);
        assertThat(response.status()).isEqualTo(401);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("no org id");
    }

    /** A GET (the start-up check) sends no body, is a GET, and ends within its own deadline, not the sink's. */
    @Test
    void aGetHasItsOwnDeadline() throws Exception {
        List<String> methods = new CopyOnWriteArrayList<>();
        URI uri = serve(exchange -> {
            methods.add(exchange.getRequestMethod() + " "
                    + exchange.getRequestBody().readAllBytes().length);
            awaitRelease();
        });
        long start = System.nanoTime();
        assertThatThrownBy(() -> sender(Duration.ofMinutes(10)).get(uri, Map.of(), 1000, Duration.ofSeconds(1)))
                .isInstanceOf(HttpTimeoutException.class)
                .hasMessageContaining("PT1S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
        assertThat(methods).containsExactly("GET 0");
    }

    /** The start-up check's connection is kept alive for the first push: the server sees both from one client port. */
    @Test
    void theFirstPushReusesTheConnectionOfAGet() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        URI uri = serve(exchange -> {
            seen.add(exchange.getRequestMethod() + " "
                    + exchange.getRemoteAddress().getPort());
            answer(exchange, 200, "ready");
        });
        HttpSender sender = sender(Duration.ofSeconds(30));
        assertThat(sender.get(uri, Map.of(), 1000, Duration.ofSeconds(30)).status())
                .isEqualTo(200);
        assertThat(sender.post(uri, "text/plain", new byte[100], Map.of(), 1000).status())
                .isEqualTo(200);
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).startsWith("GET ");
        assertThat(seen.get(1)).isEqualTo("POST " + seen.get(0).substring(4));
    }

    /** Pushes in a row share one connection (HTTP/1.1 keep-alive): the server sees them all from one client port. */
    @Test
    void pushesInARowShareOneConnection() throws Exception {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        URI uri = serve(exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            answer(exchange, 204, "");
        });
        HttpSender sender = sender(Duration.ofSeconds(30));
        for (int i = 0; i < 5; i++) {
            assertThat(sender.post(uri, "text/plain", new byte[100], Map.of(), 1000)
                            .status())
                    .isEqualTo(204);
        }
        assertThat(clientPorts).hasSize(1);
    }

    /**
     * The second push on a kept-alive connection reaches the server, which then closes the connection without an
     * answer: the caller gets an IOException and the push is not sent again on a new connection behind its back (the
     * JDK's HttpURLConnection does that for a POST whose body it buffered). One attempt; retrying is the delivery
     * stage's job, which counts it.
     */
    @Test
    void aPushOnAConnectionClosedWithoutAnswerIsNotSentAgain() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger connections = new AtomicInteger();
        byte[] noContent = "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        URI uri = serveRaw(socket -> {
            requests.incrementAndGet();
            socket.getOutputStream().write(noContent); // no "Connection: close": the client keeps the connection
            socket.getOutputStream().flush();
            if (connections.incrementAndGet() == 1) {
                readRequest(socket.getInputStream()); // the second push, on the kept-alive connection
                requests.incrementAndGet();
            }
        });
        HttpSender sender = sender(Duration.ofSeconds(30));
        assertThat(sender.post(uri, "text/plain", new byte[100], Map.of(), 1000).status())
                .isEqualTo(204);
        assertThatThrownBy(() -> sender.post(uri, "text/plain", new byte[100], Map.of(), 1000))
                .isInstanceOf(IOException.class);
        assertThat(requests).hasValue(2);
        assertThat(connections).hasValue(1);
    }

    /** After an answer cut at the bound, the next push still gets through (the cut connection is not reused). */
    @Test
    void aPushAfterACutAnswerGetsThrough() throws Exception {
        AtomicInteger count = new AtomicInteger();
        URI uri = serve(exchange -> answer(exchange, 400, (count.incrementAndGet() + ":").repeat(50_000)));
        HttpSender sender = sender(Duration.ofSeconds(30));
        assertThat(sender.post(uri, "text/plain", new byte[1], Map.of(), 100).complete())
                .isFalse();
        HttpSender.Response second = sender.post(uri, "text/plain", new byte[1], Map.of(), 100);
        assertThat(new String(second.body(), StandardCharsets.UTF_8)).startsWith("2:");
    }

    /**
     * TLS trusting the configured CA file still checks the host name: the certificate names 127.0.0.1 only, so the same
     * server reached as {@code localhost} is refused.
     */
    @Test
    void theCaFileIsTrustedAndTheHostNameIsStillVerified() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, "loki");
        HttpsServer tls = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tls.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        tls.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            answer(exchange, 204, "");
        });
        tls.start();
        try {
            int port = tls.getAddress().getPort();
            URI named = URI.create("https://127.0.0.1:" + port + "/push");
            assertThat(trustingSender(named, certificate)
                            .post(named, "text/plain", new byte[1], Map.of(), 1000)
                            .status())
                    .isEqualTo(204);
            URI unnamed = URI.create("https://localhost:" + port + "/push");
            assertThatThrownBy(() -> trustingSender(unnamed, certificate)
                            .post(unnamed, "text/plain", new byte[1], Map.of(), 1000))
                    .isInstanceOf(SSLHandshakeException.class);
        } finally {
            tls.stop(0);
        }
    }

    @Test
    void anInterruptEndsTheWaitAndKeepsTheInterruptFlag() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        URI uri = serve(exchange -> {
            received.countDown();
            awaitRelease();
        });
        HttpSender sender = sender(Duration.ofMinutes(10));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                sender.post(uri, "text/plain", new byte[1], Map.of(), 1000);
            } catch (IOException e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        assertThat(received.await(30, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        caller.join(Duration.ofSeconds(30).toMillis());
        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
        assertThat(stillInterrupted.get()).isTrue();
    }

    @Test
    void anUnreachableServerIsAnIOException() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + port + "/push");
        assertThatThrownBy(() -> sender(Duration.ofSeconds(5)).post(uri, "text/plain", new byte[1], Map.of(), 1000))
                .isInstanceOf(ConnectException.class);
    }

    /**
     * Sending must not start a thread per request. With CompletableFuture's default async pool at parallelism 1 (any
     * JVM on two CPUs or fewer: most sidecars under a CPU limit) that pool is a thread per task, and
     * {@code HttpClient.sendAsync} hands every result to it. The sends run in a JVM of their own with the common pool's
     * parallelism set to 1, so this holds on a CI machine with more cores too, and no other test's threads are counted.
     */
    @Test
    void manySendsStartNoThreadPerSend() throws Exception {
        String[] result = runInOwnJvm("-Djava.util.concurrent.ForkJoinPool.common.parallelism=1", ManySends.class)
                .trim()
                .split(" ");
        assertThat(result[0]).as("common pool parallelism").isEqualTo("1");
        assertThat(Integer.parseInt(result[1]))
                .as("threads started during %d sends", ManySends.SENDS)
                .isLessThanOrEqualTo(5);
    }

    /** The process {@link #manySendsStartNoThreadPerSend} runs: prints the parallelism and the threads started. */
    static final class ManySends {
        static final int SENDS = 200;

        public static void main(String[] args) throws Exception {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                answer(exchange, 204, "");
            });
            server.setExecutor(Executors.newFixedThreadPool(2));
            server.start();
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/push");
            HttpSender sender = new HttpSender(new HttpSettings(uri, HttpAuth.NONE, null, Duration.ofSeconds(30)));
            byte[] batch = new byte[1000];
            for (int i = 0; i < 20; i++) { // the client's and server's own threads start here
                sender.post(uri, "application/octet-stream", batch, Map.of(), 1024);
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long before = threads.getTotalStartedThreadCount();
            for (int i = 0; i < SENDS; i++) {
                sender.post(uri, "application/octet-stream", batch, Map.of(), 1024);
            }
            long started = threads.getTotalStartedThreadCount() - before;
            System.out.println(ForkJoinPool.getCommonPoolParallelism() + " " + started);
            System.exit(0);
        }
    }

    /**
     * The default TLS context (the cacerts trust store and some 450 JSSE classes) is a third of a second of a start-up
     * (docs/benchmarks.md). A sender for an {@code http://} destination must not build it: the send runs in a JVM of its
     * own that logs every class it loads.
     */
    @Test
    void aPlainHttpDestinationLoadsNoTlsClasses() throws Exception {
        Path classes = dir.resolve("classes.log");
        runInOwnJvm("-Xlog:class+load:file=" + classes, PlainSend.class);
        List<String> loaded = Files.readAllLines(classes);
        assertThat(loaded).as("the log covers the send").anyMatch(line -> line.contains(HttpSender.class.getName()));
        assertThat(loaded).as("TLS classes loaded").noneMatch(line -> line.contains(" sun.security.ssl."));
    }

    /** The process {@link #aPlainHttpDestinationLoadsNoTlsClasses} runs: one POST to an {@code http://} server. */
    static final class PlainSend {
        public static void main(String[] args) throws Exception {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                answer(exchange, 204, "");
            });
            server.start();
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/push");
            HttpSender sender = new HttpSender(new HttpSettings(uri, HttpAuth.NONE, null, Duration.ofSeconds(30)));
            int status = sender.post(uri, "application/octet-stream", new byte[100], Map.of(), 1024)
                    .status();
            System.exit(status == 204 ? 0 : 1);
        }
    }

    /** Runs {@code main} in a JVM of its own with this class path and one JVM option; returns its standard output. */
    private String runInOwnJvm(String jvmOption, Class<?> main) throws IOException, InterruptedException {
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(JavaCommand.of(List.of(jvmOption), main))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES))
                .as("%s finishes; stderr: %s", main.getSimpleName(), Files.readString(stderr))
                .isTrue();
        assertThat(process.exitValue())
                .as("stderr: %s", Files.readString(stderr))
                .isZero();
        return Files.readString(stdout);
    }

    private URI serve(HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            handler.handle(exchange);
            exchange.close();
        });
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/push");
    }

    /** A client's connection, after the request (headers and a body of Content-Length bytes) has been read. */
    private interface RawHandler {
        void handle(Socket socket) throws IOException, InterruptedException;
    }

    /**
     * A server that answers with bytes of the test's choosing, for what the JDK's server cannot do (trickle headers,
     * drop a kept-alive connection). Reads one request per connection; the handler writes the answer.
     */
    private URI serveRaw(RawHandler handler) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        rawListener = listener;
        serverThreads = Executors.newCachedThreadPool();
        serverThreads.execute(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    serverThreads.execute(() -> {
                        try (socket) {
                            readRequest(socket.getInputStream());
                            handler.handle(socket);
                        } catch (IOException ignored) {
                            // the client went away: nothing to answer
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/push");
    }

    private static void readRequest(InputStream in) throws IOException {
        int contentLength = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                contentLength = Integer.parseInt(
                        line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes(contentLength);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the request ended early");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static HttpSender trustingSender(URI uri, SelfSignedCertificate certificate) {
        return new HttpSender(HttpSettings.from(
                new MapSettings(Map.of(
                        "LOKI_URL",
                        uri.toString(),
                        "LOKI_CA_FILE",
                        certificate.pem().toString())),
                SettingsTable.LOKI_HTTP));
    }

    private static HttpSender sender(Duration timeout) {
        return new HttpSender(new HttpSettings(URI.create("http://127.0.0.1/"), HttpAuth.NONE, null, timeout));
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
