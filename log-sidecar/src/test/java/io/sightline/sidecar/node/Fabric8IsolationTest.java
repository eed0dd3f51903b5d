package io.sightline.sidecar.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.sightline.sidecar.Main;
import io.sightline.testsupport.tool.JavaCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kubernetes client is for the node mode only: the sidecar runs in every application pod with a
 * 64 MiB heap and must not pay for fabric8's classes. Only {@code io.sightline.sidecar.node.meta.kube}
 * may refer to fabric8, and a running sidecar loads none of it.
 */
class Fabric8IsolationTest {

    private static final String KUBE_PACKAGE = "io/sightline/sidecar/node/meta/kube/";

    @TempDir
    Path dir;

    @Test
    void onlyTheKubePackageRefersToFabric8() throws IOException {
        Path classes = Path.of("target", "classes");
        List<Path> offenders;
        List<Path> all;
        try (Stream<Path> files = Files.walk(classes)) {
            all = files.filter(f -> f.toString().endsWith(".class")).toList();
        }
        offenders = all.stream()
                .filter(f ->
                        !classes.relativize(f).toString().replace('\\', '/').startsWith(KUBE_PACKAGE))
                .filter(Fabric8IsolationTest::refersToFabric8)
                .toList();

        assertThat(all).as("compiled classes to check").isNotEmpty();
        assertThat(all.stream().filter(Fabric8IsolationTest::refersToFabric8))
                .as("the kube package does use fabric8 (else this check checks nothing)")
                .isNotEmpty();
        assertThat(offenders).isEmpty();
    }

    @Test
    void aRunningSidecarLoadsNoFabric8Class() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path loaded = dir.resolve("classes.txt");
        Path out = dir.resolve("stdout.txt");
        ProcessBuilder builder = new ProcessBuilder(JavaCommand.of(
                List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xlog:class+load=info:file=" + loaded), Main.class));
        builder.environment().put("SIGHTLINE_SINK", "stdout");
        builder.environment().put("SIGHTLINE_INPUT_GLOBS", logs + "/*.log");
        builder.environment()
                .put("SIGHTLINE_CHECKPOINT_DIR", dir.resolve("checkpoint").toString());
        builder.environment().put("SIGHTLINE_METRICS_PORT", "0");
        builder.environment().put("SIGHTLINE_METRICS_ADDRESS", "127.0.0.1");
        builder.redirectOutput(out.toFile())
                .redirectError(dir.resolve("stderr.txt").toFile());
        Files.writeString(logs.resolve("app.log"), "shipped by the sidecar\n");

        Process process = builder.start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.readString(out, StandardCharsets.UTF_8).contains("shipped by the sidecar"));
        } finally {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        String classes = Files.readString(loaded, StandardCharsets.UTF_8);
        assertThat(classes).as("the class-load log").contains("io.sightline.sidecar.Sidecar ");
        assertThat(classes.lines().filter(line -> line.contains("io.fabric8"))).isEmpty();
    }

    private static boolean refersToFabric8(Path classFile) {
        try {
            // class references are UTF-8 constants in the constant pool: io/fabric8/... appears iff it is referred to
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("io/fabric8/");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
