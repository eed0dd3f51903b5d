package io.sightline.local.parts;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.sightline.local.LaunchOptions;
import io.sightline.local.http.JsonHttp;
import io.sightline.local.process.Ports;
import io.sightline.local.process.ProcessSupervisor;
import io.sightline.local.process.Readiness;

/**
 * A {@link StackContext} for testing one part alone: work dir under the test's temporary directory, free ports only
 * (never the well-known ones: tests run next to each other), node {@code node-a}, and the part's messages captured.
 */
final class TestStack implements AutoCloseable {

    final StackContext context;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TestStack(Path workDir, String... options) {
        JsonHttp http = new JsonHttp(HttpClient.newHttpClient());
        context = new StackContext(
                LaunchOptions.parse(List.of(options)),
                workDir,
                new ProcessSupervisor(workDir.resolve("processes")),
                Ports.anyFree(),
                http,
                new Readiness(http.client()),
                "node-a",
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    /** What the parts told the user so far. */
    String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Stops whatever child process a test left running. */
    @Override
    public void close() {
        context.supervisor().close();
    }
}
