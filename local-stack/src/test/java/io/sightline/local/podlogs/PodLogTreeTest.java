package io.sightline.local.podlogs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.sightline.local.podlogs.CriLines.Line;
import io.sightline.local.process.ManagedProcess;
import io.sightline.local.process.ProcessSupervisor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real child processes (sh) started by the launcher's supervisor, their output written as a node's runtime would. */
class PodLogTreeTest {

    private static final ContainerRef PROMETHEUS = ContainerRef.of("monitoring", "prometheus-0", "prometheus");

    @TempDir
    Path work;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private ProcessSupervisor supervisor;

    private PodLogTree tree(PodLogTree.Rotation rotation) {
        PodLogTree tree = new PodLogTree(
                work.resolve("pods"),
                Map.of("prometheus", PROMETHEUS),
                rotation,
                new SteppingClock(Instant.parse("2026-11-30T03:40:00Z")),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        supervisor = new ProcessSupervisor(work.resolve("processes"));
        supervisor.useContainerRuntime(tree);
        return tree;
    }

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    private ManagedProcess run(PodLogTree tree, String name, String script) throws InterruptedException {
        ManagedProcess process = supervisor.start(name, List.of("sh", "-c", script), Map.of());
        assertThat(tree.awaitWritten(Duration.ofSeconds(60))).isEmpty();
        return process;
    }

    @Test
    void aContainersOutputGoesToItsPodDirectoryWithBothStreamsAndToTheOutputFile()
            throws IOException, InterruptedException {
        PodLogTree tree = tree(new PodLogTree.Rotation(1024 * 1024, 5));

        ManagedProcess process = run(tree, "prometheus", "echo out one; echo err one >&2; echo out two");

        Path dir = work.resolve("pods/monitoring_prometheus-0_" + PROMETHEUS.uid() + "/prometheus");
        List<Line> lines = CriLines.read(dir.resolve("0.log"));
        assertThat(CriLines.messages(lines, "stdout")).containsExactly("out one", "out two");
        assertThat(CriLines.messages(lines, "stderr")).containsExactly("err one");
        assertThat(Files.readString(process.outputFile()))
                .contains("out one\n")
                .contains("err one\n")
                .contains("out two\n");
        assertThat(tree.written()).containsExactly(new PodLogTree.Written(PROMETHEUS, 3, 0));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void otherProcessesKeepTheirPlainOutputFile() throws InterruptedException, IOException {
        PodLogTree tree = tree(new PodLogTree.Rotation(1024 * 1024, 5));

        ManagedProcess process = supervisor.start("demo-service-0", List.of("sh", "-c", "echo ours"), Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive());

        assertThat(Files.readString(process.outputFile())).isEqualTo("ours\n");
        assertThat(tree.written()).isEmpty();
        assertThat(work.resolve("pods")).doesNotExist();
    }

    /**
     * Both streams write long lines at the same time: their fragments interleave in the file, and each stream's
     * fragments still join to its own lines, in order.
     */
    @Test
    void interleavedStreamsWithLongLinesStayApartPerStream() throws IOException, InterruptedException {
        PodLogTree tree = tree(new PodLogTree.Rotation(Long.MAX_VALUE, 5));
        String script = "i=0; while [ $i -lt 40 ]; do head -c 40000 /dev/zero | tr '\\0' o; echo \" out $i\"; "
                + "head -c 20000 /dev/zero | tr '\\0' e >&2; echo \" err $i\" >&2; i=$((i+1)); done";

        run(tree, "prometheus", script);

        List<Line> lines = CriLines.read(PROMETHEUS.dir(tree.root()).resolve("0.log"));
        assertThat(CriLines.messages(lines, "stdout"))
                .containsExactlyElementsOf(IntStream.range(0, 40)
                        .mapToObj(i -> "o".repeat(40000) + " out " + i)
                        .toList());
        assertThat(CriLines.messages(lines, "stderr"))
                .containsExactlyElementsOf(IntStream.range(0, 40)
                        .mapToObj(i -> "e".repeat(20000) + " err " + i)
                        .toList());
        assertThat(tree.written().get(0).lines()).isEqualTo(80);
    }

    /** Rotated at 4 KiB while the process writes: every line is in exactly one file, plain or compressed. */
    @Test
    void rotationDuringTheRunKeepsEveryLineInOneFileOfTheTree() throws IOException, InterruptedException {
        PodLogTree tree = tree(new PodLogTree.Rotation(4096, 100));

        run(tree, "prometheus", "seq 1 3000");

        Path dir = PROMETHEUS.dir(tree.root());
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.sorted().toList();
        }
        assertThat(files).anyMatch(f -> f.toString().endsWith(".gz"));
        assertThat(files).noneMatch(f -> f.toString().endsWith(".tmp"));
        // stamps sort rotations by age; the live file is the newest
        List<Path> inOrder = new ArrayList<>(files.subList(1, files.size()));
        inOrder.add(files.get(0));
        List<String> messages = new ArrayList<>();
        for (Path file : inOrder) {
            messages.addAll(CriLines.messages(CriLines.read(file), "stdout"));
        }
        assertThat(messages)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 3000)
                        .mapToObj(Integer::toString)
                        .toList());
        assertThat(tree.written().get(0).rotations())
                .isEqualTo(files.size() - 1)
                .isGreaterThan(2);
    }

    /** The kubelet keeps containerLogMaxFiles: older rotations are gone (the node agent must keep up). */
    @Test
    void rotationsBeyondMaxFilesAreRemoved() throws IOException, InterruptedException {
        PodLogTree tree = tree(new PodLogTree.Rotation(4096, 3));

        run(tree, "prometheus", "seq 1 3000");

        try (Stream<Path> listing = Files.list(PROMETHEUS.dir(tree.root()))) {
            assertThat(listing.map(f -> f.getFileName().toString()).toList())
                    .hasSize(3)
                    .contains("0.log")
                    .anyMatch(name -> name.endsWith(".gz"));
        }
    }
}
