package io.sightline.testsupport.tool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A real server of the Prometheus family (Prometheus, Alertmanager: both listen where {@code --web.listen-address}
 * says and answer {@code GET /-/ready} with 200 once ready) started by a test on 127.0.0.1 with an ephemeral port,
 * its output in {@code <binary>.log} of the given directory, stopped by {@link #close()}. A port can only be chosen
 * before the server binds it, so another process may take it in between; a server that exits because its address
 * is in use is started again on another port.
 */
public final class ServerProcess implements AutoCloseable {

    private static final int ATTEMPTS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final String name;
    private final Process process;
    private final URI url;
    private final Path log;

    private ServerProcess(String name, Process process, URI url, Path log) {
        this.name = name;
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * Starts {@code tool} (skipping the test locally when it is missing, see {@link Tool#require()}) with these
     * arguments and a listen address, and waits until it is ready.
     *
     * @throws IllegalStateException when it exits or is not ready in time; the message holds its output
     */
    public static ServerProcess start(Tool tool, Path directory, List<String> arguments) {
        return start(tool, directory, arguments, ServerProcess::freeLoopbackPort);
    }

    /** {@link #start} with the ports to try from {@code ports} (for testing the retry). */
    static ServerProcess start(Tool tool, Path directory, List<String> arguments, IntSupplier ports) {
        String name = tool.require().getFileName().toString();
        Path log = directory.resolve(name + ".log");
        for (int attempt = 1; ; attempt++) {
            int port = ports.getAsInt();
            URI url = URI.create("http://127.0.0.1:" + port);
            List<String> commandLine = new ArrayList<>(arguments);
            commandLine.add("--web.listen-address=127.0.0.1:" + port);
            Process process = tool.start(directory, log, commandLine.toArray(String[]::new));
            ServerProcess server = new ServerProcess(name, process, url, log);
            try {
                server.awaitReady(url.resolve("/-/ready"));
                return server;
            } catch (RuntimeException e) {
                server.close();
                if (attempt == ATTEMPTS || !server.output().contains("address already in use")) {
                    throw e;
                }
            }
        }
    }

    public URI url() {
        return url;
    }

    /** The file holding the server's stdout and stderr. */
    public Path log() {
        return log;
    }

    /** Stops the server: SIGTERM, then SIGKILL if it has not ended after 20 s. */
    @Override
    public void close() {
        Tool.stop(process);
    }

    private void awaitReady(URI readyUrl) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            await(name + " ready at " + readyUrl)
                    .atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(name + " exited with " + process.exitValue()
                                    + " before it was ready; its output:\n" + output());
                        }
                        return answers200(http, readyUrl);
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    name + " was not ready at " + readyUrl + " within " + READY_TIMEOUT.toSeconds()
                            + " s; its output:\n" + output(),
                    e);
        }
    }

    private static boolean answers200(HttpClient http, URI url) throws InterruptedException {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    private String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(" + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
