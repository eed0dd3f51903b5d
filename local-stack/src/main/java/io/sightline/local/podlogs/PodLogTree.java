package io.sightline.local.podlogs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sightline.local.process.ContainerRuntime;

/**
 * A {@code /var/log/pods}-shaped tree written as a node's container runtime and kubelet write it, for the processes
 * that run as containers: each one's stdout and stderr in CRI format ({@link CriLogFile}) in
 * {@code <root>/<namespace>_<pod>_<uid>/<container>/0.log}, rotated kubelet-style at a size limit.
 *
 * <p>A process's output is read until it closes its pipes, also after it was asked to stop, so its last lines are
 * in the tree; if the tree cannot be written any more the pipes are still drained (a process blocked on a full
 * pipe would hang) and the loss is reported once on {@code err}.
 */
public final class PodLogTree implements ContainerRuntime {

    /** Size and count limits of the kubelet's rotation ({@code containerLogMaxSize}, {@code containerLogMaxFiles}). */
    public record Rotation(long maxBytes, int maxFiles) {}

    /** What was written for one container. */
    public record Written(ContainerRef container, long lines, int rotations) {}

    private final Path root;
    private final Map<String, ContainerRef> containers;
    private final Rotation rotation;
    private final Clock clock;
    private final PrintStream err;
    private final Map<String, Attached> attached = new LinkedHashMap<>();

    /** @param containers the processes that run as containers (by the supervisor's name) and their containers */
    public PodLogTree(
            Path root, Map<String, ContainerRef> containers, Rotation rotation, Clock clock, PrintStream err) {
        this.root = root;
        this.containers = Map.copyOf(containers);
        this.rotation = rotation;
        this.clock = clock;
        this.err = err;
    }

    public Path root() {
        return root;
    }

    @Override
    public boolean runs(String processName) {
        return containers.containsKey(processName);
    }

    @Override
    public synchronized void attach(String processName, Process process, Path outputFile) throws IOException {
        ContainerRef container = containers.get(processName);
        if (container == null) {
            throw new IllegalArgumentException(processName + " is not a container of this tree");
        }
        if (attached.containsKey(processName)) {
            throw new IllegalStateException(processName + " runs once (a restart would need <restart>.log)");
        }
        CriLogFile log = new CriLogFile(container.dir(root), rotation.maxBytes(), rotation.maxFiles(), clock);
        OutputStream copy = Files.newOutputStream(outputFile);
        Attached pumps = new Attached(container, log, copy);
        attached.put(processName, pumps);
        pumps.start(processName, StdStream.STDOUT, process.getInputStream());
        pumps.start(processName, StdStream.STDERR, process.getErrorStream());
    }

    /** What was written for the containers that ran so far, in start order. */
    public synchronized List<Written> written() {
        return attached.values().stream()
                .map(a -> new Written(a.container, a.log.lines(), a.log.rotations()))
                .toList();
    }

    /**
     * Waits until every process that ran has closed its output and all of it is in the tree (its process ended).
     *
     * @return the containers still writing after {@code timeout}
     */
    public List<ContainerRef> awaitWritten(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Attached> all;
        synchronized (this) {
            all = List.copyOf(attached.values());
        }
        for (Attached a : all) {
            a.ended.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        return all.stream()
                .filter(a -> a.ended.getCount() > 0)
                .map(a -> a.container)
                .toList();
    }

    /** The container a process of this name runs as, if it does. */
    public Optional<ContainerRef> container(String processName) {
        return Optional.ofNullable(containers.get(processName));
    }

    /** The two pumps of one process; the log file and the copy close when both ended. */
    private final class Attached {
        private final ContainerRef container;
        private final CriLogFile log;
        private final OutputStream copy;
        private final CountDownLatch ended = new CountDownLatch(2);

        Attached(ContainerRef container, CriLogFile log, OutputStream copy) {
            this.container = container;
            this.log = log;
            this.copy = copy;
        }

        void start(String processName, StdStream stream, InputStream in) {
            Thread thread =
                    new Thread(() -> run(processName, stream, in), "pod-log-" + processName + "-" + stream.criName());
            thread.setDaemon(true);
            thread.start();
        }

        private void run(String processName, StdStream stream, InputStream in) {
            try {
                new OutputPump(stream, log, copy).pump(in);
            } catch (IOException e) {
                err.println("sightline local: the " + stream.criName() + " of " + processName
                        + " is no longer written to " + log.live() + ": " + e);
                drain(in);
            } finally {
                closePipe(in);
                ended.countDown();
                if (ended.getCount() == 0) {
                    closeQuietly(processName);
                }
            }
        }

        private void closeQuietly(String processName) {
            try {
                log.close();
                copy.close();
            } catch (IOException e) {
                err.println("sightline local: could not close the log of " + processName + ": " + e);
            }
        }
    }

    private static void closePipe(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // a pipe that cannot be closed holds no data of ours
        }
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the process closed its end: nothing left that could block it
        }
    }
}
